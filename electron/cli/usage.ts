/** The help text: every subcommand, its options and the exit codes. */
export const USAGE = `Usage: hearth <command> [options]

Commands:
  serve [--port N]                 Run Hearth headless and print the address of its UI
                                   (127.0.0.1 only; a free port unless --port is given).
  serve --api [--api-port N] [--api-key K]
                                   Also serve the OpenAI-compatible local API (127.0.0.1, port
                                   11435 or the one set in the app; key from --api-key,
                                   HEARTH_API_KEY or the app's own) and print its URL and key.
  models list [--json]             List the models in the models folder, with their metadata
                                   and the reason any file cannot be used; --json adds sha256,
                                   verification and the fit estimate for this machine.
  models pull <catalog id | hf:owner/repo/file.gguf | https URL> [--quant Q] [--json]
                                   Download a model: progress on stderr, resumes an interrupted
                                   pull, verifies its sha256 before it is installed.
  models rm <name|id> [--json]     Delete a model (unloaded first), freeing its disk space.
  models info <name|id> [--json]   A model's metadata, sha256, fit estimate and settings.
  models import <path> [--link] [--json]
                                   Add a .gguf from elsewhere: header checked, hashed, refused
                                   when already installed; copied, or linked with --link.
  chat --model <name|id|path> [--max-tokens N] [--json] "prompt"
                                   Load a model and stream its answer to stdout; --json prints
                                   one JSON object per line (deltas, then the result).
  chats list [--deleted] [--json]  List past conversations, pinned first, newest first
                                   (--deleted: those in the trash too).
  chats export <id> [--format md|json] [--output FILE]
                                   Print a conversation as Markdown (the shown branch) or
                                   JSON (every branch; re-importable), or write it to FILE.
  chats import <file> [--json]     Import a JSON export as a new conversation.
  chats search "words" [--limit N] [--json]
                                   Find past messages by their words, best first.
  add <file|folder>... [--collection NAME] [--watch] [--json]
                                   Index files and folders into the library (progress on
                                   stderr; returns when indexed). --watch keeps folders in sync.
  search "query" [--collection NAME]... [--mode hybrid|vector|text] [--limit N] [--json]
                                   Passages from the library with file, page or heading,
                                   offsets and score.
  docs list [--collection NAME] [--json]
  docs rm <id|path>... [--json]    List or remove indexed documents.
  collections list|create NAME|rename NAME NEW|rm NAME [--json]
                                   Manage collections (rm deletes their documents too).
  setup recommend [--json]         This machine (memory, GPU, cores) and the chat and embedding
                                   models from the catalog that fit it, with size, license, why.
  setup detect [--json]            GGUF files LM Studio, Jan, Ollama and GPT4All already have,
                                   to import by reference (models import --link).
  privacy ledger [--json]          Every network connection Hearth made or refused since
                                   install: time, host, purpose, bytes, allowed or blocked.
  privacy offline [on|off] [--json]
                                   Turn offline mode on (no connection at all, downloads
                                   included) or off; with no argument, show it.
  data delete --yes [--keep-models] [--json]
                                   Delete all Hearth data: conversations, library, settings,
                                   ledger, and models unless --keep-models.
  ask "question" --collection NAME... [--model M] [--max-tokens N] [--json]
                                   Answer from the library with numbered citations: streams
                                   the answer, then its sources (file, page or heading,
                                   passage, score). Without --model: the last chat model used.
                                   --json: one object {answer, citations, sources}.
  library embedder [NAME|default] [--json]
                                   Show the library's embedding model, or set it (every
                                   document is re-embedded with the new one).

Options:
  -h, --help                       Show this help.
  -v, --version                    Show Hearth's version.

Environment:
  HEARTH_HOME                      The data folder (models live in its models/ folder).
  HEARTH_EMBED_MODEL               The library's embedding model: a .gguf path or models-folder id.
  HEARTH_RERANK_MODEL              The reranker for grounded answers: a .gguf path, a models-folder
                                   id, or "off" (default: an installed catalog reranker).
  HEARTH_MIN_VECTOR_SIMILARITY     Without a reranker, the least similarity (0..1) a passage found
                                   only by meaning needs to count as relevant (default 0.55).
  HEARTH_MAX_TEXT_CHARS            The most characters indexed from one file (default 20,000,000).
  HEARTH_CATALOG_URL               Model catalog to use: a file path or an http(s) URL.
  HEARTH_HF_BASE                   Where hf: and catalog downloads come from
                                   (default https://huggingface.co).
  HEARTH_DETECT_HOME               The home folder setup detect looks in (default: yours).
  HEARTH_RELEASES_URL              The releases feed update checks read (only when turned on).
  HEARTH_API_KEY                   The local API key for \`serve --api\` (instead of the app key).

Exit codes: 0 ok, 1 usage error, 2 runtime error, 130 interrupted (Ctrl-C).
`;
