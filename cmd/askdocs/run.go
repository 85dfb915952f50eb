package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
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
  askdocs eval [--docs DIR] [--index DIR] [-v] FILE.jsonl
        Score a question set: hit@1, hit@3, MRR@5, abstention, answer in excerpt;
        -v lists every question that missed.
  askdocs serve [--docs DIR] [--index DIR]
        Run the Discord bot (needs DISCORD_TOKEN).
  askdocs index [--docs DIR] --index DIR
        Build or update the stored index and exit.
  askdocs bench [--passages N] [--vocab chain|zipf] [--docs DIR]
                [--queries FILE] [--runs N] [--index DIR] [--batch N]
                [--bleve=false] [--cpuprofile FILE] [--json]
        Measure build (next to plain bleve), warm start, query latency,
        an update and memory.
  askdocs help
        Show this help.

Without --docs (or DOCS_DIR) the embedded seed documents are used.
Settings are read from the environment and from a .env file; see README.md.
`

// run is the whole program: main only adds the process's environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given (try: askdocs ask \"câu hỏi\")"}
	}
	cmd, rest := args[0], args[1:]
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
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q (commands: ask, eval, serve, index, bench, help)", cmd)}
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
				return nil, usageError{fmt.Sprintf("%s: see askdocs help", fs.Name())}
			}
			msg := err.Error()
			if f, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
				msg = "unknown flag " + f
			}
			return nil, usageError{fmt.Sprintf("%s: %s (see askdocs help)", fs.Name(), msg)}
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
