//! Compare mode: the open diagram against another version of it (as it was
//! last saved or shared, some changes ago, another entry, a link, a file,
//! or the older half of a review link). The canvas marks what was added,
//! changed and removed (removed nodes as ghosts where they were); a panel
//! lists the changes and every verdict that changed, each item selecting
//! what it names. Nothing is modified: editing goes on, the comparison
//! follows it, and leaving puts the view back as it was. The comparison
//! itself (`domain::diff`, both versions checked) runs in the export
//! worker, which answers with the panel's lines; this module only draws
//! them.

use super::dialog::dialog_frame;
use super::state::{use_app, AppState, Camera};
use super::{actions, browser, links, persist, storage};
use crate::domain::codec::link::SAFE_LINK_CHARS;
use crate::domain::diff::report::{parse_panel, Panel, PanelItem, PanelList};
use crate::domain::model::{Diagram, EdgeId, NodeId, Rect};
use crate::domain::number::decimal;
use crate::domain::scene::Scene;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Most items a list of the panel shows; the rest are counted (the CLI's
/// `stackdraw diff` lists them all).
const MOST_ITEMS: usize = 200;
/// Most marks drawn on the canvas.
const MOST_MARKS: usize = 3_000;

/// The version the open diagram is compared with.
pub struct Baseline {
    /// "as last saved", "3 changes ago", "“Shop” in My diagrams", …
    pub label: String,
    pub diagram: Diagram,
    /// The diagram as the worker's requests carry it, encoded once.
    encoded: String,
}

#[derive(Clone, Copy)]
pub struct Compare {
    pub baseline: RwSignal<Option<Arc<Baseline>>>,
    /// The worker's answer for the diagram as it is now.
    pub diff: RwSignal<Option<Arc<Panel>>>,
    /// Bumped by every comparison asked for; an older answer is dropped.
    asked: StoredValue<u64>,
    pub dialog: RwSignal<bool>,
    /// The entry compared, so that opening another diagram ends the mode.
    entry: StoredValue<Option<String>>,
    /// The camera and selection when the mode began, put back on leaving.
    view: StoredValue<Option<(Camera, Vec<NodeId>)>>,
    review: RwSignal<Option<Result<String, String>>>,
}

thread_local! {
    static COMPARE: Compare = Compare {
        baseline: RwSignal::new(None),
        diff: RwSignal::new(None),
        asked: StoredValue::new(0),
        dialog: RwSignal::new(false),
        entry: StoredValue::new(None),
        view: StoredValue::new(None),
        review: RwSignal::new(None),
    };
}

/// The one compare mode of the page.
pub fn compare() -> Compare {
    COMPARE.with(|compare| *compare)
}

impl Compare {
    /// Compares the open diagram with `diagram` from now on.
    pub fn start(self, state: AppState, label: String, diagram: Diagram) {
        if self.baseline.with_untracked(Option::is_none) {
            self.view.set_value(Some((
                state.camera.get_untracked(),
                state.selection.get_untracked(),
            )));
        }
        self.entry.set_value(state.entry.get_untracked());
        self.review.set(None);
        self.diff.set(None);
        self.baseline.set(Some(Arc::new(Baseline {
            label,
            encoded: crate::worker_protocol::encoded(&diagram),
            diagram,
        })));
        self.dialog.set(false);
    }

    /// Back to editing, the view as it was when the mode began.
    pub fn leave(self, state: AppState) {
        self.end();
        if let Some((camera, selection)) = self.view.get_value() {
            state.set_camera(camera);
            state.clear_selection();
            state.selection.set(
                selection
                    .into_iter()
                    .filter(|id| state.diagram.with_untracked(|d| d.node(id).is_some()))
                    .collect(),
            );
        }
        self.view.set_value(None);
    }

    fn end(self) {
        self.baseline.set(None);
        self.diff.set(None);
        self.review.set(None);
    }
}

/// Opens a review link: its newer version as a new entry, compared with
/// its older one. A broken link is explained and nothing changes.
pub fn open_review(state: AppState, fragment: String) {
    wasm_bindgen_futures::spawn_local(async move {
        match links::decode_review(&fragment).await {
            Ok((older, newer)) => {
                persist::open_new_entry(state, newer);
                compare().start(state, "the older version in the review link".into(), older);
                state.notice.set(Some(
                    "Opened the review link's newer version as a new entry in My diagrams, compared with its older version."
                        .into(),
                ));
            }
            Err(reason) => state.notice.set(Some(format!(
                "The review link could not be opened: {reason}. Your diagram is unchanged."
            ))),
        }
    });
}

/// Where a node is drawn now: its box or its icon.
fn drawn_rects(scene: &Scene) -> HashMap<&NodeId, Rect> {
    let mut rects: HashMap<&NodeId, Rect> = HashMap::new();
    for container in &scene.containers {
        rects.insert(&container.id, container.rect);
    }
    for glyph in &scene.glyphs {
        rects.insert(&glyph.id, glyph.rect);
    }
    rects
}

fn points(path: &[(f64, f64)]) -> String {
    path.iter()
        .map(|(x, y)| format!("{},{}", decimal(*x, 1), decimal(*y, 1)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Over the drawing: a mark around each added and changed node, a ghost
/// where each removed one was, and the lines that changed, those whose
/// traffic no longer (fully) gets through in the colour of a problem.
#[component]
pub fn CompareMarks() -> impl IntoView {
    let compare = compare();
    let scene = expect_context::<Memo<Arc<Scene>>>();
    move || {
        let diff = compare.diff.get()?;
        let baseline = compare.baseline.get()?;
        let marks = scene.with(|scene| {
            let rects = drawn_rects(scene);
            let mut marks = Vec::new();
            for item in diff.of(PanelList::Node).take(MOST_MARKS) {
                let Some(id) = &item.node else { continue };
                if item.mark == "removed" {
                    let Some(rect) = baseline.diagram.layout.get(id) else {
                        continue;
                    };
                    let name = baseline
                        .diagram
                        .node(id)
                        .map(|n| n.name.clone())
                        .unwrap_or_default();
                    marks.push(
                        view! {
                            <g class="diff-ghost" data-testid="diff-ghost" data-node-id=id.to_string()>
                                <rect
                                    x=decimal(rect.x, 1)
                                    y=decimal(rect.y, 1)
                                    width=decimal(rect.w, 1)
                                    height=decimal(rect.h, 1)
                                    rx="6"
                                />
                                <text x=decimal(rect.x + 6.0, 1) y=decimal(rect.y - 6.0, 1)>
                                    {format!("removed: {name}")}
                                </text>
                            </g>
                        }
                        .into_any(),
                    );
                    continue;
                }
                let Some(rect) = rects.get(id) else {
                    continue;
                };
                let rect = rect.widened(4.0);
                let kind = item.mark.clone();
                marks.push(
                    view! {
                        <rect
                            class=format!("diff-mark diff-{kind}")
                            data-testid="diff-mark"
                            data-diff=kind
                            data-node-id=id.to_string()
                            x=decimal(rect.x, 1)
                            y=decimal(rect.y, 1)
                            width=decimal(rect.w, 1)
                            height=decimal(rect.h, 1)
                            rx="8"
                        />
                    }
                    .into_any(),
                );
            }
            // Lines: added and changed ones, then those whose traffic no
            // longer (fully) gets through, drawn over them.
            let mut lines: Vec<(&EdgeId, &str)> = diff
                .of(PanelList::Edge)
                .filter(|item| item.mark != "removed")
                .filter_map(|item| Some((item.edge.as_ref()?, item.mark.as_str())))
                .collect();
            for item in diff.of(PanelList::Flow).filter(|item| item.mark == "worse") {
                if let Some(edge) = &item.edge {
                    lines.retain(|(id, _)| *id != edge);
                    lines.push((edge, "worse"));
                }
            }
            for (id, kind) in lines.into_iter().take(MOST_MARKS) {
                let Some(line) = scene.edges.iter().find(|l| &l.id == id) else {
                    continue;
                };
                marks.push(
                    view! {
                        <polyline
                            class=format!("diff-line diff-{kind}")
                            data-testid="diff-line"
                            data-diff=kind.to_string()
                            data-edge-id=id.to_string()
                            points=points(&line.path)
                        />
                    }
                    .into_any(),
                );
            }
            for item in diff.of(PanelList::Edge).filter(|item| item.mark == "removed") {
                let Some(old) = baseline
                    .diagram
                    .edges
                    .iter()
                    .find(|e| Some(&e.id) == item.edge.as_ref())
                else {
                    continue;
                };
                let (Some(from), Some(to)) = (
                    baseline.diagram.layout.get(&old.from),
                    baseline.diagram.layout.get(&old.to),
                ) else {
                    continue;
                };
                let (a, b) = (from.center(), to.center());
                marks.push(
                    view! {
                        <line
                            class="diff-line diff-removed"
                            data-testid="diff-line"
                            data-diff="removed"
                            data-edge-id=old.id.to_string()
                            x1=decimal(a.0, 1)
                            y1=decimal(a.1, 1)
                            x2=decimal(b.0, 1)
                            y2=decimal(b.1, 1)
                        />
                    }
                    .into_any(),
                );
            }
            marks
        });
        Some(view! { <g class="compare-marks" data-testid="compare-marks">{marks}</g> })
    }
}

/// Brings a part of the diagram into view without selecting anything.
fn show_rect(state: AppState, rect: Rect) {
    let camera = state
        .camera
        .get_untracked()
        .revealing(rect, state.view_size.get_untracked());
    state.set_camera(camera);
}

fn select_node(state: AppState, id: &NodeId, baseline: &Baseline) {
    let present = state.diagram.with_untracked(|d| d.node(id).is_some());
    if present {
        state.reveal(id.clone());
    } else if let Some(rect) = baseline.diagram.layout.get(id) {
        state.clear_selection();
        show_rect(state, *rect);
    }
}

fn select_edge(state: AppState, id: &EdgeId, scene: Memo<Arc<Scene>>) {
    let present = state
        .diagram
        .with_untracked(|d| d.edges.iter().any(|e| &e.id == id));
    if !present {
        return;
    }
    state.clear_selection();
    state.selected_edge.set(Some(id.clone()));
    let around = scene.with_untracked(|scene| {
        let line = scene.edges.iter().find(|l| &l.id == id)?;
        line.path
            .iter()
            .map(|&(x, y)| Rect::new(x, y, 0.0, 0.0))
            .reduce(|a, b| a.union(&b))
    });
    if let Some(rect) = around {
        show_rect(state, rect);
    }
}

/// What an item selects: its line, else its node (a removed node's ghost
/// comes into view).
fn pick(state: AppState, scene: Memo<Arc<Scene>>, item: &PanelItem, baseline: &Baseline) {
    let line_present = item.edge.as_ref().is_some_and(|edge| {
        state
            .diagram
            .with_untracked(|d| d.edges.iter().any(|e| &e.id == edge))
    });
    match (&item.edge, &item.node) {
        (Some(edge), _) if line_present => select_edge(state, edge, scene),
        (_, Some(node)) => select_node(state, node, baseline),
        _ => {}
    }
}

/// One item of a list: a button selecting what it names.
fn item(kind: &'static str, text: String, on_pick: impl Fn() + 'static) -> AnyView {
    view! {
        <li>
            <button class="compare-item" data-testid="compare-item" data-kind=kind on:click=move |_| on_pick()>
                {text}
            </button>
        </li>
    }
    .into_any()
}

fn more(total: usize) -> Option<AnyView> {
    (total > MOST_ITEMS).then(|| {
        view! {
            <li class="compare-more">
                {format!("and {} more; `stackdraw diff` lists them all", total - MOST_ITEMS)}
            </li>
        }
        .into_any()
    })
}

fn section(
    title: &'static str,
    testid: &'static str,
    items: Vec<AnyView>,
    total: usize,
) -> Option<AnyView> {
    (total > 0).then(|| {
        view! {
            <h3>{format!("{title} ({total})")}</h3>
            <ul class="compare-list" data-testid=testid>{items}{more(total)}</ul>
        }
        .into_any()
    })
}

/// The sidebar's list of changes and verdicts while comparing.
#[component]
pub fn ComparePanel() -> impl IntoView {
    let state = use_app();
    let compare = compare();
    let scene = expect_context::<Memo<Arc<Scene>>>();
    // The comparison follows every edit; the worker answers in order,
    // and only the answer to the latest question is shown.
    Effect::new(move |_| {
        let Some(baseline) = compare.baseline.get() else {
            return;
        };
        let request = state
            .diagram
            .with(|diagram| crate::worker_protocol::diff_request(&baseline.encoded, diagram));
        compare.asked.update_value(|n| *n += 1);
        let asked = compare.asked.get_value();
        browser::ask_worker(request, move |reply| {
            if compare.asked.get_value() != asked
                || compare.baseline.with_untracked(Option::is_none)
            {
                return;
            }
            match reply.into_text() {
                Ok(text) => compare.diff.set(Some(Arc::new(parse_panel(&text)))),
                Err(message) => state.notice.set(Some(format!(
                    "The versions could not be compared: {message}"
                ))),
            }
        });
    });
    // Opening another diagram ends the comparison.
    Effect::new(move |_| {
        let entry = state.entry.get();
        if compare.baseline.with_untracked(Option::is_some) && compare.entry.get_value() != entry {
            compare.end();
            compare.view.set_value(None);
        }
    });
    let make_review = move |_| {
        let Some(baseline) = compare.baseline.get_untracked() else {
            return;
        };
        let diagram = state.diagram.get_untracked();
        compare.review.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let result = links::encode_review(&baseline.diagram, &diagram)
                .await
                .map(|fragment| format!("{}#{fragment}", links::page_address()));
            compare.review.set(Some(result));
        });
    };
    move || {
        let baseline = compare.baseline.get()?;
        let diff = compare.diff.get();
        let lists = diff.map(|diff| {
            let list = |which: PanelList| -> (Vec<AnyView>, usize) {
                let total = diff.of(which).count();
                let items = diff
                    .of(which)
                    .take(MOST_ITEMS)
                    .map(|entry| {
                        let (entry, base) = (entry.clone(), baseline.clone());
                        item(which.name(), entry.text.clone(), move || {
                            pick(state, scene, &entry, &base)
                        })
                    })
                    .collect();
                (items, total)
            };
            let (flows, flow_count) = list(PanelList::Flow);
            let (scopes, scope_count) = list(PanelList::Scope);
            let (problems, problem_count) = list(PanelList::Problem);
            let (nodes, node_count) = list(PanelList::Node);
            let (edges, edge_count) = list(PanelList::Edge);
            view! {
                <p class="compare-summary" data-testid="compare-summary">{diff.summary.clone()}</p>
                {section("Verdicts that changed", "compare-flows", flows, flow_count)}
                {section("Must-not-exist scopes", "compare-scopes", scopes, scope_count)}
                {section("Problems", "compare-problems", problems, problem_count)}
                {section("Nodes", "compare-nodes", nodes, node_count)}
                {section("Lines", "compare-edges", edges, edge_count)}
            }
            .into_any()
        });
        Some(view! {
            <section class="panel compare-panel" data-testid="compare-panel" aria-label="Compare">
                <header>
                    <h2>"Compare"</h2>
                    <button data-testid="compare-leave" on:click=move |_| compare.leave(state)>
                        "Leave compare mode"
                    </button>
                </header>
                <p data-testid="compare-against">{format!("This diagram against {}.", baseline.label)}</p>
                <p class="compare-legend" aria-hidden="true">
                    <span class="swatch diff-added"></span>"added "
                    <span class="swatch diff-changed"></span>"changed "
                    <span class="swatch diff-removed"></span>"removed "
                    <span class="swatch diff-worse"></span>"now blocked"
                </p>
                {lists.unwrap_or_else(|| view! { <p data-testid="compare-summary">"Comparing…"</p> }.into_any())}
                <div class="actions">
                    <button data-testid="compare-review-link" on:click=make_review>"Review link"</button>
                </div>
                {move || compare.review.get().map(|result| review_link(state, result))}
            </section>
        })
    }
}

/// A review link, its length, and past the length chat apps keep, a file.
fn review_link(state: AppState, result: Result<String, String>) -> AnyView {
    let text = match result {
        Ok(text) => text,
        Err(message) => {
            return view! { <p class="field-error" data-testid="review-status">{message}</p> }
                .into_any()
        }
    };
    let length = text.chars().count();
    let long = length > SAFE_LINK_CHARS;
    let copied = RwSignal::new(false);
    let to_copy = text.clone();
    let to_save = text.clone();
    view! {
        <p>"Opens both versions, compared, for whoever you send it to."</p>
        <textarea class="share-link" data-testid="review-link" readonly rows="3" prop:value=text></textarea>
        <p data-testid="review-length" data-length=length.to_string() class:warning=long>
            {format!("{length} characters")}
            {long.then(|| format!(" — longer than the {SAFE_LINK_CHARS} that chat apps and email keep intact; send the file instead (Open reads it)."))}
        </p>
        <div class="actions">
            <button data-testid="review-copy" on:click=move |_| {
                let text = to_copy.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match browser::copy_text(text).await {
                        Ok(()) => copied.set(true),
                        Err(message) => state.notice.set(Some(message)),
                    }
                });
            }>
                {move || if copied.get() { "Copied" } else { "Copy link" }}
            </button>
            <button data-testid="review-file" on:click=move |_| {
                let name = format!("{}.stackdraw-review.txt", actions::file_stem(state));
                if let Err(message) = browser::download(&name, "text/plain", to_save.as_bytes()) {
                    state.notice.set(Some(message));
                }
            }>
                "Download as a file"
            </button>
        </div>
    }
    .into_any()
}

/// "Compare…": what to compare the open diagram with.
#[component]
pub fn CompareDialog() -> impl IntoView {
    let state = use_app();
    let compare = compare();
    let open = compare.dialog;
    let entries = RwSignal::new(Vec::<storage::Entry>::new());
    let steps = RwSignal::new(1usize);
    let link_text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if open.get() {
            persist::save_now(state);
            let current = state.entry.get_untracked();
            let mut list = storage::entries();
            list.retain(|e| Some(&e.id) != current.as_ref());
            entries.set(list);
            problem.set(None);
        }
    });
    let saved = move || state.entry.get().and_then(|id| storage::load_baseline(&id));
    let with_saved = move |_| {
        if let Some((how, diagram)) = saved() {
            compare.start(state, format!("the version last {how}"), diagram);
        }
    };
    let with_steps = move |_| {
        let n = steps.get_untracked();
        match state.as_it_was(n) {
            Some(diagram) => compare.start(
                state,
                format!(
                    "the version {n} change{} ago",
                    if n == 1 { "" } else { "s" }
                ),
                diagram,
            ),
            None => problem.set(Some(format!("This session has no change {n} steps back."))),
        }
    };
    let with_entry = move |entry: storage::Entry| match storage::load(&entry.id) {
        Ok(diagram) => compare.start(state, format!("{:?} in My diagrams", entry.name), diagram),
        Err(reason) => problem.set(Some(format!("That diagram cannot be read: {reason}"))),
    };
    let with_link = move |_| {
        let text = link_text.get_untracked();
        if crate::domain::codec::review::is_review(&text) {
            problem.set(Some(
                "That is a review link, which holds two versions: open it in the address bar to compare them.".into(),
            ));
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            match links::decode(&text).await {
                Ok(diagram) => compare.start(state, "the version in the link".into(), diagram),
                Err(reason) => problem.set(Some(format!("The link could not be read: {reason}"))),
            }
        });
    };
    let with_file = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        if file.size() > 8.0 * 1024.0 * 1024.0 {
            problem.set(Some(format!("{name} is larger than 8 MiB.")));
            return;
        }
        let region = state.diagram.with_untracked(|d| d.region.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(text) = gloo_file::futures::read_as_text(&gloo_file::Blob::from(file)).await
            else {
                problem.set(Some(format!("{name} could not be read.")));
                return;
            };
            // A diagram file or a template, read (or imported) by the worker.
            let request = format!("{}{region}:{name}\n{text}", crate::worker_protocol::IMPORT);
            browser::ask_worker(request, move |reply| match actions::read_reply(reply) {
                Ok((diagram, _)) => compare.start(state, name.clone(), diagram),
                Err(reason) => problem.set(Some(format!("{name} could not be read: {reason}"))),
            });
        });
    };
    view! {
        {move || open.get().then(|| dialog_frame(
            open,
            "compare",
            "compare-dialog",
            "Compare this diagram with…",
            (),
            view! {
                <div class="compare-body">
                    <p>"The canvas marks what changed and the panel lists every verdict that changed. Nothing is modified; leave compare mode to go back."</p>
                    <h3>"This diagram, earlier"</h3>
                    <div class="actions">
                        {move || match saved() {
                            Some((how, _)) => view! {
                                <button data-testid="compare-saved" on:click=with_saved>
                                    {format!("As last {how}")}
                                </button>
                            }.into_any(),
                            None => view! {
                                <button data-testid="compare-saved" disabled=true title="Save it as a file or share it first">
                                    "As last saved or shared"
                                </button>
                            }.into_any(),
                        }}
                    </div>
                    <div class="actions">
                        <label>
                            "As it was "
                            <input
                                type="number"
                                min="1"
                                data-testid="compare-steps-count"
                                prop:value=move || steps.get().to_string()
                                prop:max=move || state.undo_depth().to_string()
                                on:input=move |event| {
                                    if let Ok(n) = event_target_value(&event).trim().parse::<usize>() {
                                        steps.set(n.max(1));
                                    }
                                }
                            />
                            " changes ago"
                        </label>
                        <button
                            data-testid="compare-steps"
                            prop:disabled=move || state.undo_depth() == 0
                            on:click=with_steps
                        >
                            "Compare"
                        </button>
                    </div>
                    <h3>"Another diagram in My diagrams"</h3>
                    {move || {
                        let list = entries.get();
                        if list.is_empty() {
                            view! { <p class="muted">"No other diagram is kept in this browser."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="compare-entries">
                                    {list.into_iter().map(|entry| {
                                        let id = entry.id.clone();
                                        let name = entry.name.clone();
                                        view! {
                                            <li>
                                                <button data-testid="compare-entry" data-entry-id=id on:click=move |_| with_entry(entry.clone())>
                                                    {name}
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                    <h3>"A link"</h3>
                    <textarea
                        class="share-link"
                        rows="2"
                        data-testid="compare-link-input"
                        placeholder="https://…/#v1.…"
                        aria-label="A share link to compare with"
                        on:input=move |event| link_text.set(event_target_value(&event))
                    ></textarea>
                    <div class="actions">
                        <button data-testid="compare-link" on:click=with_link>"Compare with the link"</button>
                    </div>
                    <h3>"A file"</h3>
                    <label class="button-like">
                        "Choose a diagram file or template…"
                        <input
                            type="file"
                            class="visually-hidden"
                            data-testid="compare-file"
                            accept=".json,.yaml,.yml,.template"
                            on:change=with_file
                        />
                    </label>
                    {move || problem.get().map(|message| view! {
                        <p class="field-error" role="alert" data-testid="compare-problem">{message}</p>
                    })}
                </div>
            },
        ))}
    }
}
