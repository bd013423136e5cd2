use super::browser::{self, ExportWorker, PreviewFile, WorkerReply};
use super::dialog::dialog_frame;
use super::state::{use_app, AppState};
use crate::domain::validate::{Analysis, Severity};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    CloudFormationYaml,
    CloudFormationJson,
    Terraform,
    CircleCi,
}

impl Tab {
    const ALL: [Tab; 4] = [
        Tab::CloudFormationYaml,
        Tab::CloudFormationJson,
        Tab::Terraform,
        Tab::CircleCi,
    ];

    fn label(self) -> &'static str {
        match self {
            Tab::CloudFormationYaml => "CloudFormation (YAML)",
            Tab::CloudFormationJson => "CloudFormation (JSON)",
            Tab::Terraform => "Terraform",
            Tab::CircleCi => "CircleCI",
        }
    }

    fn testid(self) -> &'static str {
        match self {
            Tab::CloudFormationYaml => "export-tab-cloudformation",
            Tab::CloudFormationJson => "export-tab-cloudformation-json",
            Tab::Terraform => "export-tab-terraform",
            Tab::CircleCi => "export-tab-circleci",
        }
    }

    fn holds(self, path: &str) -> bool {
        match self {
            // The CloudFormation bundle's README.md says how to deploy either.
            Tab::CloudFormationYaml => path == "cloudformation.yaml" || path == "README.md",
            Tab::CloudFormationJson => path == "cloudformation.json" || path == "README.md",
            Tab::Terraform => path.starts_with("terraform/"),
            Tab::CircleCi => path.starts_with(".circleci/"),
        }
    }
}

fn mime(path: &str) -> &'static str {
    if path.ends_with(".json") {
        "application/json"
    } else if path.ends_with(".yaml") || path.ends_with(".yml") {
        "application/yaml"
    } else if path.ends_with(".md") {
        "text/markdown"
    } else {
        "text/plain"
    }
}

/// Offers the exports (`which`: all, or the Terraform folder) as a zip
/// archive, which the worker packs.
fn download_zip(state: AppState, which: &str, name: &'static str) {
    let request = state.diagram.with_untracked(|diagram| {
        browser::diagram_request(&format!("{}{which}:", crate::worker_protocol::ZIP), diagram)
    });
    browser::ask_worker(request, move |reply| {
        let saved = reply
            .into_bytes()
            .and_then(|bytes| browser::download(name, "application/zip", &bytes));
        if let Err(message) = saved {
            state
                .notice
                .set(Some(format!("The archive could not be made: {message}")));
        }
    });
}

/// Infrastructure as code for the diagram, one tab per format; the preview
/// follows every edit while the dialog is open.
#[component]
pub fn ExportDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<Analysis>>();
    let tab = RwSignal::new(Tab::CloudFormationYaml);
    let chosen = RwSignal::new(String::new());
    // The exporters run in a worker (their code stays out of the app's first
    // load); while the dialog is open, every change of the diagram is sent.
    let files = RwSignal::new(Vec::<PreviewFile>::new());
    let status = RwSignal::new(Some(String::from("Preparing the exports…")));
    let worker = StoredValue::new_local(None::<ExportWorker>);
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let text = state
            .diagram
            .with(|diagram| browser::diagram_request(crate::worker_protocol::EXPORT, diagram));
        if worker.with_value(Option::is_none) {
            let started = ExportWorker::start(move |reply| match reply {
                WorkerReply::Files(list) => {
                    files.set(list);
                    status.set(None);
                }
                WorkerReply::Failed(message) | WorkerReply::Stopped(message) => {
                    status.set(Some(format!("The export failed: {message}")))
                }
                WorkerReply::Bench(_) | WorkerReply::Wire(_) | WorkerReply::Text(_) => {}
            });
            match started {
                Ok(started) => worker.set_value(Some(started)),
                Err(message) => {
                    status.set(Some(message));
                    return;
                }
            }
        }
        worker.with_value(|worker| {
            if let Some(Err(message)) = worker.as_ref().map(|worker| worker.request(&text)) {
                status.set(Some(message));
            }
        });
    });
    let visible = move || {
        files.with(|files| {
            files
                .iter()
                .filter(|f| tab.get().holds(&f.path))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let current = move || {
        let list = visible();
        let wanted = chosen.get();
        list.iter()
            .find(|f| f.path == wanted)
            .cloned()
            .or_else(|| list.first().cloned())
    };
    let errors = move || analysis.with(|analysis| analysis.count(Severity::Error));
    let notify = move |message: String| state.notice.set(Some(message));

    let copy = move |_| {
        if let Some(file) = current() {
            leptos::task::spawn_local(async move {
                match browser::copy_text(file.contents).await {
                    Ok(()) => notify(format!("Copied {}", file.path)),
                    Err(message) => notify(format!("Could not copy: {message}")),
                }
            });
        }
    };
    let download = move |_| {
        if let Some(file) = current() {
            let name = file
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&file.path)
                .to_string();
            if let Err(message) =
                browser::download(&name, mime(&file.path), file.contents.as_bytes())
            {
                notify(message);
            }
        }
    };
    let download_terraform = move |_| download_zip(state, "terraform", "terraform.zip");
    let download_all = move |_| download_zip(state, "all", "stackdraw-export.zip");

    move || {
        if !open.get() {
            return None;
        }
        Some(dialog_frame(
            open,
            "export",
            "export-dialog",
            "Export",
            (),
            view! {
                {move || {
                    (errors() > 0)
                        .then(|| {
                            view! {
                                <p class="export-warning" data-testid="export-warning">
                                    {format!(
                                        "The diagram has {} validation error{}: the exports list them at the top and will not deploy as they are.",
                                        errors(),
                                        if errors() == 1 { "" } else { "s" },
                                    )}
                                </p>
                            }
                        })
                }}
                <nav class="tabs" role="tablist">
                    {Tab::ALL
                        .into_iter()
                        .map(|candidate| {
                            view! {
                                <button
                                    role="tab"
                                    data-testid=candidate.testid()
                                    aria-selected=move || (tab.get() == candidate).to_string()
                                    class:active=move || tab.get() == candidate
                                    on:click=move |_| {
                                        tab.set(candidate);
                                        chosen.set(String::new());
                                    }
                                >
                                    {candidate.label()}
                                </button>
                            }
                        })
                        .collect_view()}
                </nav>
                <div class="export-body">
                    {move || {
                        let list = visible();
                        (list.len() > 1)
                            .then(|| {
                                view! {
                                    <ul class="file-list" data-testid="export-files">
                                        {list
                                            .into_iter()
                                            .map(|file| {
                                                let path = file.path.clone();
                                                let selected = current().is_some_and(|c| c.path == path);
                                                view! {
                                                    <li>
                                                        <button
                                                            class:active=selected
                                                            data-testid="export-file"
                                                            on:click=move |_| chosen.set(path.clone())
                                                        >
                                                            {file.path.clone()}
                                                        </button>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                            })
                    }}
                    <pre class="preview" data-testid="export-preview" tabindex="0" aria-label="Preview of the selected file">
                        <code>
                            {move || match (current(), status.get()) {
                                (None, Some(message)) => view! { <span class="tok-comment" data-testid="export-status">{message}</span> }.into_any(),
                                (None, None) => view! { <span class="tok-comment">"Nothing to export in this format: the diagram has no pipeline."</span> }.into_any(),
                                // Escaped by the worker (`highlight_html`).
                                (Some(file), _) => view! { <span inner_html=file.html></span> }.into_any(),
                            }}
                        </code>
                    </pre>
                </div>
                <footer>
                    <span class="path" data-testid="export-path">{move || current().map(|f| f.path).unwrap_or_default()}</span>
                    <button data-testid="export-copy" on:click=copy>"Copy"</button>
                    <button data-testid="export-download" on:click=download>"Download file"</button>
                    <button data-testid="export-download-terraform" on:click=download_terraform>"Terraform folder (.zip)"</button>
                    <button data-testid="export-download-all" on:click=download_all>"Everything (.zip)"</button>
                </footer>
            },
        ))
    }
}
