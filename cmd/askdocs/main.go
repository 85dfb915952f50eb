// Command askdocs answers questions about a folder of documents with
// cited excerpts, from the command line or as a Discord bot.
//
// Usage:
//
//	askdocs ask [--json] [--k N] [--docs DIR] [--index DIR] [QUESTION]
//	askdocs eval [--docs DIR] [--index DIR] [--min-hit1 X …] FILE.jsonl
//	askdocs index [--docs DIR] --index DIR [--rebuild]
//	askdocs serve [--docs DIR] [--index DIR]
//
// Run "askdocs help" for every command, and "askdocs COMMAND --help" for
// its flags.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	getenv, warnings, err := loadEnv(".env", os.Environ())
	for _, w := range warnings {
		fmt.Fprintln(os.Stderr, "askdocs: warning:", w)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "askdocs:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, os.Args[1:], getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "askdocs:", err)
		os.Exit(exitCode(err))
	}
}
