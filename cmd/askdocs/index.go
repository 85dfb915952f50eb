package main

import (
	"context"
	"io"
)

func cmdIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return usageError{"index: not built yet"}
}
