// Command askdocs answers questions about a folder of documents with
// cited excerpts, from the command line or as a Discord bot.
//
// Usage:
//
//	askdocs ask [--json] [--k N] [--docs DIR] [QUESTION]
//	askdocs eval [--docs DIR] FILE.jsonl
//	askdocs serve [--docs DIR]
//
// Run "askdocs help" for every command and setting.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"

	"github.com/joho/godotenv"
)

func main() {
	// A missing .env is normal: settings may come from the environment.
	_ = godotenv.Load()
	setGCPercent(os.Getenv("GOGC"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "askdocs:", err)
		os.Exit(exitCode(err))
	}
}

// defaultGCPercent is the garbage collector's target when GOGC is not
// set. An index is mostly long-lived data, so Go's default of 100 lets
// the heap reach twice what is live; 50 keeps a 100,000-passage build
// under 400 MB for about 3% more build time.
const defaultGCPercent = 50

// setGCPercent applies GOGC: unset means defaultGCPercent, and a value
// from .env is applied here, after the runtime read the environment.
func setGCPercent(v string) {
	switch n, err := strconv.Atoi(v); {
	case v == "":
		debug.SetGCPercent(defaultGCPercent)
	case v == "off":
		debug.SetGCPercent(-1)
	case err == nil:
		debug.SetGCPercent(n)
	}
}
