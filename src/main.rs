//! Command-line interface of koki. Library errors are typed; this is the only place that uses
//! `anyhow` and decides exit codes: 0 ok, 1 content errors, 2 usage or I/O errors.

use clap::{Parser, Subcommand, ValueEnum};
use koki::build::{self, BuildOptions};
use koki::diagnostics::Diagnostics;
use koki::SiteError;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "koki", version, about = "Baut den Katalog „Kommunen & KI“ als statische Website.", long_about = None)]
struct Cli {
    /// Nur Fehler ausgeben.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Mehr Details ausgeben (z. B. Zeiten der Phasen).
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Clone)]
struct SiteArgs {
    /// Wurzelverzeichnis der Site (enthält `content/` und `themes/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

/// Entry kinds that `koki new` and `koki schema --print` know.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum NewKind {
    Beispiel,
    Szenario,
}

impl NewKind {
    fn entry_kind(self) -> koki::scaffold::EntryKind {
        match self {
            NewKind::Beispiel => koki::scaffold::EntryKind::Example,
            NewKind::Szenario => koki::scaffold::EntryKind::Scenario,
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Entwürfe von Beispielen aus externen Datensätzen anlegen (überschreibt nie eine Datei).
    #[command(subcommand)]
    Import(koki::import::ImportCommand),
    /// Im Suchindex einer gebauten Site suchen – dieselben Antworten wie die Suche im Browser.
    Search {
        /// Suchanfrage, z. B. `Ampel Steuerung`, `"Leichte Sprache"`, `chatbot bundesland:by`.
        query: String,
        /// Filter `FACETTE=WERT`, mehrfach möglich (z. B. `--filter status=pilot`).
        #[arg(long = "filter", value_name = "FACETTE=WERT")]
        filters: Vec<String>,
        /// Sortierung: relevance, newest, name, population.
        #[arg(long, default_value = "relevance")]
        sort: String,
        /// Höchstens so viele Treffer ausgeben.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Antwort als JSON (genau die Antwort, die der Browser bekommt).
        #[arg(long)]
        json: bool,
        /// Gebaute Site (Ausgabeverzeichnis von `koki build`).
        #[arg(long, default_value = "public")]
        site: PathBuf,
    },
    /// Site bauen: `content/` prüfen und nach `public/` schreiben.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Ausgabeverzeichnis (Standard: `<root>/public`).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Basis-URL überschreiben, z. B. `https://example.org/katalog/`.
        #[arg(long)]
        base_url: Option<String>,
        /// Auch ein Verzeichnis ersetzen, das nicht von koki stammt.
        #[arg(long)]
        force: bool,
    },
    /// Inhalte prüfen, ohne etwas zu schreiben.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Ausgabeformat der Meldungen.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Warnungen als Fehler behandeln.
        #[arg(long)]
        strict: bool,
    },
    /// Neuen Eintrag aus einer kommentierten Vorlage anlegen (überschreibt nie eine Datei).
    New {
        #[command(flatten)]
        site: SiteArgs,
        /// Art des Eintrags.
        #[arg(value_enum)]
        art: NewKind,
        /// Titel; daraus wird der Dateiname gebildet (Müller → mueller).
        titel: String,
        /// Kennung (Dateiname ohne Endung) statt der aus dem Titel gebildeten.
        #[arg(long)]
        id: Option<String>,
    },
    /// JSON Schema der Beispiele und Szenarien erzeugen (Standard: nach `<root>/schema/`).
    Schema {
        #[command(flatten)]
        site: SiteArgs,
        /// Zielverzeichnis statt `<root>/schema/`.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Ein Schema auf die Standardausgabe schreiben statt Dateien anzulegen.
        #[arg(long, value_enum, conflicts_with_all = ["output", "check"])]
        print: Option<NewKind>,
        /// Nur prüfen, ob die Dateien in `<root>/schema/` aktuell sind (Exit-Code 1, wenn nicht).
        #[arg(long)]
        check: bool,
    },
    /// Vorschau mit automatischem Neuladen: baut die Site und beobachtet `content/` und `themes/`.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port (0 wählt einen freien Port).
        #[arg(long, short, default_value_t = 8000)]
        port: u16,
        /// Adresse, an die der Server gebunden wird.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Startseite im Browser öffnen.
        #[arg(long)]
        open: bool,
        /// Basis-URL überschreiben; ihr Pfad bestimmt, unter welchem Pfad die Vorschau liegt.
        #[arg(long)]
        base_url: Option<String>,
        /// Nur messen: in einer Kopie N-mal ein Beispiel ändern und neu bauen, dann beenden.
        #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "10")]
        bench_rebuild: Option<usize>,
        /// Beim Messen unter `<root>/.koki-serve/` bauen statt im RAM-Verzeichnis.
        #[arg(long, requires = "bench_rebuild")]
        bench_on_disk: bool,
    },
    /// Messen: synthetische Kataloge (1.000/10.000/50.000 Beispiele) bauen; `--generate N --out DIR` erzeugt nur einen.
    Bench(koki::bench::BenchArgs),
}

fn print_diagnostics(diags: &Diagnostics, format: Format, quiet: bool) {
    match format {
        Format::Human => {
            let text = diags.render_human();
            if !text.is_empty() {
                eprint!("{text}");
            }
            if !quiet || diags.has_errors() {
                eprintln!("{}", diags.summary());
            }
        }
        Format::Json => println!("{}", diags.render_json()),
        Format::Github => {
            print!("{}", diags.render_github());
            eprintln!("{}", diags.summary());
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Import(cmd) => {
            koki::import::run(&cmd)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            filters,
            sort,
            limit,
            json,
            site,
        } => {
            print!(
                "{}",
                koki::search::cli_search(&site, &query, &filters, &sort, limit, json)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            site,
            output,
            base_url,
            force,
        } => {
            let mut opts = BuildOptions::for_root(&site.root);
            if let Some(o) = output {
                opts.output = o;
            }
            opts.base_url = base_url;
            opts.force = force;
            match build::build(&opts) {
                Ok(report) => {
                    if !report.warnings.is_empty() && !cli.quiet {
                        eprint!("{}", report.warnings.render_human());
                    }
                    if cli.verbose {
                        for (name, d) in &report.phases {
                            eprintln!("  {name:<14} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                        }
                    }
                    if !cli.quiet {
                        eprintln!("{}", report.summary(&opts.output));
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(SiteError::Content(diags)) => {
                    print_diagnostics(&diags, Format::Human, cli.quiet);
                    eprintln!("Build abgebrochen; die bisherige Ausgabe bleibt unverändert.");
                    Ok(ExitCode::from(1))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Check {
            site,
            format,
            strict,
        } => {
            let mut diags = koki::check::check(&site.root);
            if strict {
                diags.make_strict();
            }
            print_diagnostics(&diags, format, cli.quiet);
            Ok(if diags.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::New {
            site,
            art,
            titel,
            id,
        } => {
            let path = koki::scaffold::create(
                &site.root,
                art.entry_kind(),
                &titel,
                id.as_deref(),
                koki::check::reference_date(),
            )?;
            println!("{}", path.display());
            if !cli.quiet {
                eprintln!(
                    "Angelegt: {}\nErsetzen Sie alle Werte mit `TODO` und prüfen Sie dann mit `koki check`.",
                    path.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema {
            site,
            output,
            print,
            check,
        } => {
            let files = koki::schema::generate(&site.root)?;
            if let Some(kind) = print {
                let name = match kind {
                    NewKind::Beispiel => koki::schema::EXAMPLE_FILE,
                    NewKind::Szenario => koki::schema::SCENARIO_FILE,
                };
                if let Some((_, text)) = files.iter().find(|(p, _)| p.ends_with(name)) {
                    print!("{text}");
                }
                return Ok(ExitCode::SUCCESS);
            }
            if check {
                let outdated = koki::schema::outdated(&site.root, &files);
                for p in &outdated {
                    eprintln!(
                        "{}: veraltet; erzeugen Sie es neu mit `koki schema`",
                        p.display()
                    );
                }
                return Ok(if outdated.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                });
            }
            let dir = output.unwrap_or_else(|| site.root.join(koki::schema::SCHEMA_DIR));
            for path in koki::schema::write(&files, &dir)? {
                if !cli.quiet {
                    eprintln!("geschrieben: {}", path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            base_url,
            bench_rebuild,
            bench_on_disk,
        } => {
            if let Some(iterations) = bench_rebuild {
                let bench = koki::serve::bench_rebuild(
                    &site.root,
                    base_url.as_deref(),
                    iterations.max(1),
                    bench_on_disk,
                )?;
                print!("{}", bench.render());
                return Ok(ExitCode::SUCCESS);
            }
            let mut opts = koki::serve::ServeOptions::for_root(&site.root);
            opts.build.base_url = base_url;
            opts.port = port;
            opts.bind = bind;
            opts.verbose_terminal = !cli.quiet;
            let server = koki::serve::Server::start(opts)?;
            let url = server.url();
            eprintln!("Vorschau: {url}  (beenden mit Strg+C)");
            if !bind.is_loopback() {
                eprintln!(
                    "Achtung: Die Vorschau ist auch von anderen Rechnern im Netz erreichbar."
                );
            }
            if open {
                if let Err(e) = koki::serve::open_browser(&url) {
                    eprintln!("Browser konnte nicht geöffnet werden: {e}");
                }
            }
            server.wait();
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => {
            print!("{}", koki::bench::run(&args, cli.quiet)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// mimalloc instead of the system allocator: a build allocates millions of small strings and
/// values on all cores, and glibc's malloc (with its locks and per-thread arenas) took about a
/// quarter of the CPU time. At 10,000 examples: 7.1 → 5.4 s CPU (README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// With transparent huge pages (`always` on many Linux hosts) each 2 MiB region the allocator
/// touches becomes resident as a whole: at 10,000 examples about 25 MB more peak memory, at
/// the same speed. Off for this process only, as mimalloc itself does with
/// `MIMALLOC_ALLOW_THP=0`; a `MIMALLOC_ALLOW_THP` set by the user wins.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; no memory is touched.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}

fn main() -> ExitCode {
    disable_transparent_huge_pages();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Fehler: {}", koki::diagnostics::cause_chain(&*e));
            ExitCode::from(2)
        }
    }
}
