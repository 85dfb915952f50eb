package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/askdocs/askdocs/retrieval"
)

// usageError is a mistake in how the command was called (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

const usage = `askdocs answers questions about a folder of documents with cited excerpts.

Usage:
  askdocs ask [--json] [--k N] [--docs DIR] [--index DIR] [QUESTION]
        Answer QUESTION, or each line of standard input when QUESTION is absent.
  askdocs eval [--docs DIR] [--index DIR] [--json] [-v] [--min-hit1 X ...] FILE.jsonl
        Score a question set against plain BM25 baselines on the same documents:
        hit@1/3/5, MRR@5, abstention and its trade-off, answer in excerpt;
        --json prints every figure; -v lists every question that missed;
        --min-… and --max-… make it exit 1 when a figure falls short.
  askdocs serve [--docs DIR] [--index DIR]
        Run the Discord bot (needs DISCORD_TOKEN).
  askdocs index [--docs DIR] --index DIR [--rebuild]
        Build or update the stored index and exit.
  askdocs bench [--passages N] [--vocab chain|zipf] [--docs DIR]
                [--queries FILE] [--runs N] [--index DIR] [--batch N]
                [--bleve=false] [--cpuprofile FILE] [--json]
        Measure build (next to plain bleve), warm start, query latency,
        an update and memory.
  askdocs tune [--set DOCS:QUESTIONS.jsonl]... [--folds N] [--out FILE]
        Fit the ranking and abstention model on development sets, print
        k-fold cross-validated figures, and write retrieval/rank/model.json.
  askdocs help [COMMAND]
        Show this help, or a command's flags and examples (askdocs COMMAND --help).
  askdocs --version
        Show the version, the Go version and the index's analysis version.

Without --index (or INDEX_PATH) the index is built in memory, from --docs (or
DOCS_DIR), else from the embedded seed documents. A stored index records its
documents folder and is opened with it; another folder is refused unless
--rebuild.
Settings are read from the environment and from a .env file; see README.md.
"askdocs COMMAND --help" lists a command's flags.
`

// run is the whole program: main only adds the process's environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given (try: askdocs ask \"câu hỏi\")"}
	}
	cmd, rest := args[0], args[1:]
	if err := setGCPercent(getenv("GOGC")); err != nil {
		return err
	}
	err := dispatch(ctx, cmd, rest, getenv, stdin, stdout, stderr)
	var help helpRequest
	if errors.As(err, &help) {
		writeHelp(stdout, help.fs)
		return nil
	}
	return err
}

func dispatch(ctx context.Context, cmd string, rest []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	switch cmd {
	case "ask":
		return cmdAsk(ctx, rest, getenv, stdin, stdout, stderr)
	case "eval":
		return cmdEval(ctx, rest, getenv, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "index":
		return cmdIndex(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, getenv, stdout, stderr)
	case "tune":
		return cmdTune(ctx, rest, stdout, stderr)
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 && commandHelp[rest[0]].synopsis != "" {
			// "askdocs help ask" is "askdocs ask --help".
			return dispatch(ctx, rest[0], []string{"--help"}, getenv, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "-version", "--version":
		writeVersion(stdout)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q (commands: ask, eval, serve, index, bench, tune, help, version)", cmd)}
}

// newFlags returns a flag set that reports errors as one line instead of
// printing usage.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("askdocs ask 'câu hỏi' --json").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, helpRequest{fs}
			}
			msg := err.Error()
			if f, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
				msg = "unknown flag " + f
			}
			return nil, usageError{fmt.Sprintf("%s: %s (see askdocs %s --help)", fs.Name(), msg, fs.Name())}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// helpRequest is parseFlags' answer to -h or --help: run prints the
// command's help and exits 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string { return h.fs.Name() + ": help requested" }

// commandHelp is what "askdocs COMMAND --help" says besides the flags.
var commandHelp = map[string]struct{ synopsis, about, examples string }{
	"ask": {
		"askdocs ask [flags] [QUESTION]",
		"Answers QUESTION with cited excerpts, or each line of standard input when\nQUESTION is absent.",
		`  askdocs ask "Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?"
  askdocs ask --json --k 5 --index /var/lib/askdocs "hop tac quoc phong"
  printf 'câu hỏi 1\ncâu hỏi 2\n' | askdocs ask --docs ./notes`,
	},
	"eval": {
		"askdocs eval [flags] FILE.jsonl",
		"Scores a question set (JSON Lines, see README.md) and prints hit@1, hit@3,\nMRR@5, abstention and answer-in-excerpt, overall and per category. Exits 1\nwhen a figure misses its threshold.",
		`  askdocs eval retrieval/testdata/questions.jsonl
  askdocs eval --min-hit1 0.95 --min-hit3 1 --max-false-abstain 0 --max-false-answer 0 questions.jsonl`,
	},
	"index": {
		"askdocs index [flags] --index DIR",
		"Builds or updates the stored index and says what it did. Without --docs it\nuses the folder the index records; another folder is refused unless\n--rebuild.",
		`  askdocs index --docs /data/archive --index /var/lib/askdocs
  askdocs index --index /var/lib/askdocs              # update from the recorded folder
  askdocs index --docs /data/new --index /var/lib/askdocs --rebuild`,
	},
	"serve": {
		"askdocs serve [flags]",
		"Runs the Discord bot. Needs DISCORD_TOKEN (environment or .env); the other\nsettings are listed in README.md and .env.example.",
		`  askdocs serve
  INDEX_PATH=/var/lib/askdocs askdocs serve --docs /data/archive`,
	},
	"bench": {
		"askdocs bench [flags]",
		"Measures build speed, warm start, query latency and memory on a synthetic\ncorpus or a real folder.",
		`  askdocs bench --docs seeds
  askdocs bench --passages 100000 --index /tmp/ix --json`,
	},
	"tune": {
		"askdocs tune [flags]",
		"Fits the ranking weights (coordinate ascent) and the abstention model\n(logistic regression, then its threshold) on development sets, prints\nk-fold cross-validated figures, and writes the model file. Without --set it\nuses ../shared/bench (each set skipped with a message when absent) and\nretrieval/testdata/questions.jsonl on the embedded seeds.",
		`  askdocs tune
  askdocs tune --set ./docs:questions.jsonl --set :retrieval/testdata/questions.jsonl --out /tmp/model.json`,
	},
}

// writeHelp prints a command's synopsis, flags and examples.
func writeHelp(w io.Writer, fs *flag.FlagSet) {
	h := commandHelp[fs.Name()]
	fmt.Fprintf(w, "Usage: %s\n\n%s\n\nFlags:\n", h.synopsis, h.about)
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		fmt.Fprintf(w, "\n        %s", usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
	if h.examples != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", h.examples)
	}
}

// writeVersion prints the program's version (module version and commit,
// when the build recorded them), the Go version and the analysis version
// a stored index must have been built with.
func writeVersion(w io.Writer) {
	version, rev, modified := "(devel)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if rev != "" {
		version += " commit " + rev[:min(12, len(rev))]
		if modified {
			version += " (modified)"
		}
	}
	fmt.Fprintf(w, "askdocs %s\n%s %s/%s\nindex analysis version %s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH, retrieval.AnalysisVersion())
}
