//! Diagrams kept in the browser (localStorage): an index of entries, each
//! diagram in its binary form (base64url), and each one's view (camera and
//! selection). Every write says whether it worked, so a full or missing
//! storage is reported and the work stays in memory. Each entry carries a
//! revision, so a tab never silently overwrites what another tab saved.

use crate::domain::codec::{wire, Limits};
use crate::domain::model::Diagram;
use wasm_bindgen::JsValue;

pub const INDEX: &str = "stackdraw.index";
const CURRENT: &str = "stackdraw.current";

pub fn diagram_key(id: &str) -> String {
    format!("stackdraw.d.{id}")
}

fn view_key(id: &str) -> String {
    format!("stackdraw.v.{id}")
}

fn baseline_key(id: &str) -> String {
    format!("stackdraw.b.{id}")
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub name: String,
    /// When it was last saved, in milliseconds since 1970.
    pub updated: f64,
    /// Bumped by every save; a save expecting another revision is refused.
    pub revision: u32,
}

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| {
            "this browser does not let stackdraw keep data (private mode or storage turned off)"
                .to_string()
        })
}

fn quota_message() -> String {
    "browser storage is full".into()
}

fn set(key: &str, value: &str) -> Result<(), String> {
    storage()?.set_item(key, value).map_err(|_| quota_message())
}

fn get(key: &str) -> Result<Option<String>, String> {
    storage()?
        .get_item(key)
        .map_err(|_| "browser storage cannot be read".to_string())
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

/// Every kept diagram, most recently saved first. Reads the index with the
/// browser's JSON parser; an unreadable index counts as empty.
pub fn entries() -> Vec<Entry> {
    let Ok(Some(text)) = get(INDEX) else {
        return Vec::new();
    };
    let Ok(value) = js_sys::JSON::parse(&text) else {
        return Vec::new();
    };
    let field =
        |item: &JsValue, name: &str| js_sys::Reflect::get(item, &JsValue::from_str(name)).ok();
    let mut list: Vec<Entry> = js_sys::Array::from(&value)
        .iter()
        .filter_map(|item| {
            Some(Entry {
                id: field(&item, "id")?.as_string()?,
                name: field(&item, "name")?.as_string().unwrap_or_default(),
                updated: field(&item, "updated")?.as_f64().unwrap_or(0.0),
                revision: field(&item, "revision")?.as_f64().unwrap_or(0.0) as u32,
            })
        })
        .filter(|entry| !entry.id.is_empty() && entry.id.len() < 64)
        .collect();
    crate::domain::sorting::sort_by(&mut list, |a, b| b.updated.total_cmp(&a.updated));
    list
}

fn write_entries(list: &[Entry]) -> Result<(), String> {
    let array = js_sys::Array::new();
    for entry in list {
        let item = js_sys::Object::new();
        let put = |name: &str, value: JsValue| {
            let _ = js_sys::Reflect::set(&item, &JsValue::from_str(name), &value);
        };
        put("id", JsValue::from_str(&entry.id));
        put("name", JsValue::from_str(&entry.name));
        put("updated", JsValue::from_f64(entry.updated));
        put("revision", JsValue::from_f64(f64::from(entry.revision)));
        array.push(&item);
    }
    let text = js_sys::JSON::stringify(&array)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or("the list of diagrams cannot be written")?;
    set(INDEX, &text)
}

pub fn entry(id: &str) -> Option<Entry> {
    entries().into_iter().find(|entry| entry.id == id)
}

const LAST_REGION: &str = "stackdraw.region";

/// The region the user chose last, which new blank diagrams start in.
pub fn last_region() -> Option<String> {
    get(LAST_REGION).ok().flatten()
}

pub fn set_last_region(region: &str) {
    let _ = set(LAST_REGION, region);
}

pub fn current() -> Option<String> {
    get(CURRENT).ok().flatten()
}

pub fn set_current(id: &str) {
    let _ = set(CURRENT, id);
}

/// A diagram kept under `id`, or why it cannot be read (the stored data is
/// left as it is).
pub fn load(id: &str) -> Result<Diagram, String> {
    let text = get(&diagram_key(id))?.ok_or("it is no longer in browser storage")?;
    let bytes = wire::from_base64url(&text).map_err(|e| e.to_string())?;
    wire::decode(&bytes, &Limits::default()).map_err(|e| e.to_string())
}

/// The result of a save.
pub enum Saved {
    /// Written; the entry's new revision.
    Written(u32),
    /// Another tab saved this diagram since we last read or wrote it.
    Conflict,
}

/// Saves a diagram under `id` if nobody else saved it since `revision`.
pub fn save(id: &str, diagram: &Diagram, revision: u32) -> Result<Saved, String> {
    let mut list = entries();
    let next = match list.iter().find(|entry| entry.id == id) {
        Some(entry) if entry.revision != revision => return Ok(Saved::Conflict),
        Some(entry) => entry.revision + 1,
        None => 1,
    };
    set(
        &diagram_key(id),
        &wire::to_base64url(&wire::encode(diagram)),
    )?;
    list.retain(|entry| entry.id != id);
    list.push(Entry {
        id: id.to_string(),
        name: diagram.name.clone(),
        updated: now(),
        revision: next,
    });
    write_entries(&list)?;
    Ok(Saved::Written(next))
}

/// A new entry holding `diagram`; its id and revision.
pub fn create(diagram: &Diagram) -> Result<(String, u32), String> {
    let taken: Vec<String> = entries().into_iter().map(|e| e.id).collect();
    let stamp = now() as u64;
    let id = (0..1000u64)
        .map(|n| format!("d{:x}{n}", stamp))
        .find(|candidate| !taken.contains(candidate))
        .ok_or("too many diagrams")?;
    match save(&id, diagram, 0)? {
        Saved::Written(revision) => Ok((id, revision)),
        Saved::Conflict => Err("the new diagram's id is taken".into()),
    }
}

/// Removes an entry; returns what it held so it can be put back.
pub fn remove(id: &str) -> Result<Option<(Entry, String)>, String> {
    let mut list = entries();
    let Some(at) = list.iter().position(|entry| entry.id == id) else {
        return Ok(None);
    };
    let entry = list.remove(at);
    let data = get(&diagram_key(id))?.unwrap_or_default();
    write_entries(&list)?;
    let store = storage()?;
    let _ = store.remove_item(&diagram_key(id));
    let _ = store.remove_item(&view_key(id));
    let _ = store.remove_item(&baseline_key(id));
    Ok(Some((entry, data)))
}

/// Puts back what `remove` took.
pub fn restore(entry: Entry, data: &str) -> Result<(), String> {
    set(&diagram_key(&entry.id), data)?;
    let mut list = entries();
    list.retain(|e| e.id != entry.id);
    list.push(entry);
    write_entries(&list)
}

/// What the user was looking at: the camera and the selected node ids.
pub fn save_view(id: &str, camera: (f64, f64, f64), selection: &[String]) {
    // JavaScript writes and reads the numbers: exact, and no float printing
    // in the app's module.
    let number = |value: f64| {
        String::from(
            js_sys::Number::from(value)
                .to_string_with_radix(10)
                .unwrap_or_default(),
        )
    };
    let text = format!(
        "{} {} {}\n{}",
        number(camera.0),
        number(camera.1),
        number(camera.2),
        selection.join(" ")
    );
    let _ = set(&view_key(id), &text);
}

pub fn load_view(id: &str) -> Option<((f64, f64, f64), Vec<String>)> {
    let text = get(&view_key(id)).ok()??;
    let (camera, selection) = text.split_once('\n')?;
    let numbers: Vec<f64> = camera
        .split(' ')
        .map(js_sys::Number::parse_float)
        .filter(|n: &f64| n.is_finite())
        .collect();
    let [x, y, zoom] = numbers[..] else {
        return None;
    };
    Some((
        (x, y, zoom),
        selection
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    ))
}

/// Keeps the diagram as it was when the user last saved it as a file or
/// shared it (`how`: "saved" or "shared"), for compare mode, across reloads.
pub fn save_baseline(id: &str, how: &str, diagram: &Diagram) -> Result<(), String> {
    set(
        &baseline_key(id),
        &format!("{how}\n{}", wire::to_base64url(&wire::encode(diagram))),
    )
}

/// The entry's diagram as it was last saved or shared, and which it was.
pub fn load_baseline(id: &str) -> Option<(String, Diagram)> {
    let text = get(&baseline_key(id)).ok()??;
    let (how, data) = text.split_once('\n')?;
    let bytes = wire::from_base64url(data).ok()?;
    let diagram = wire::decode(&bytes, &Limits::default()).ok()?;
    Some((how.to_string(), diagram))
}
