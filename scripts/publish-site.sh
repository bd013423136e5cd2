#!/usr/bin/env bash
# Publishes a release build to the site bucket: every file with its content
# type (WebAssembly as application/wasm, which tools often guess wrong),
# hashed assets cached for a year, index.html revalidated on every visit and
# uploaded last, then files the new build no longer has are deleted, then
# CloudFront's copy of index.html is invalidated.
#
#   SITE_BUCKET=... SITE_DISTRIBUTION_ID=... scripts/publish-site.sh [dist]
set -euo pipefail
dist="${1:-dist}"
: "${SITE_BUCKET:?set SITE_BUCKET to the bucket (stack output BucketName)}"
: "${SITE_DISTRIBUTION_ID:?set SITE_DISTRIBUTION_ID to the distribution (stack output DistributionId)}"
[ -f "$dist/index.html" ] || { echo "publish-site: $dist/index.html is missing; build first" >&2; exit 1; }

content_type() {
  case "$1" in
    *.html) echo "text/html; charset=utf-8" ;;
    *.js | *.mjs) echo "text/javascript; charset=utf-8" ;;
    *.css) echo "text/css; charset=utf-8" ;;
    *.wasm) echo "application/wasm" ;;
    *.svg) echo "image/svg+xml" ;;
    *.png) echo "image/png" ;;
    *.ico) echo "image/x-icon" ;;
    *.json) echo "application/json" ;;
    *.woff2) echo "font/woff2" ;;
    *.txt) echo "text/plain; charset=utf-8" ;;
    *) echo "application/octet-stream" ;;
  esac
}

# Trunk fingerprints assets as name-<16 hex>.ext (or _bg.wasm).
is_hashed() {
  [[ "$1" =~ -[0-9a-f]{12,16}(_bg|_loader)?\.[a-z0-9]+$ ]]
}

upload() {
  local file="$1" key="$2" cache="$3"
  aws s3 cp "$dist/$file" "s3://$SITE_BUCKET/$key" \
    --content-type "$(content_type "$file")" --cache-control "$cache" --only-show-errors
}

mapfile -t files < <(cd "$dist" && find . -type f ! -name index.html | sed 's|^\./||' | sort)
for file in "${files[@]}"; do
  if is_hashed "$file"; then
    upload "$file" "$file" "public, max-age=31536000, immutable"
  else
    upload "$file" "$file" "no-cache"
  fi
done
# index.html last: it names the new assets, which are all in place now.
upload index.html index.html "no-cache"

# Only now that the new build is live, remove what it no longer has.
mapfile -t remote < <(aws s3api list-objects-v2 --bucket "$SITE_BUCKET" --query 'Contents[].Key' --output text | tr '\t' '\n' | grep -v '^None$' || true)
for key in "${remote[@]}"; do
  [ -n "$key" ] || continue
  if [ "$key" != index.html ] && [ ! -f "$dist/$key" ]; then
    aws s3 rm "s3://$SITE_BUCKET/$key" --only-show-errors
  fi
done

aws cloudfront create-invalidation --distribution-id "$SITE_DISTRIBUTION_ID" --paths /index.html / >/dev/null
echo "published $(( ${#files[@]} + 1 )) files to s3://$SITE_BUCKET and invalidated /index.html"
