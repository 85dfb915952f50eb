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
	"syscall"

	"github.com/joho/godotenv"
)

func main() {
	// A missing .env is normal: settings may come from the environment.
	_ = godotenv.Load()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "askdocs:", err)
		os.Exit(exitCode(err))
	}
}
