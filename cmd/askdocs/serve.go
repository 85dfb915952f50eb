package main

import (
	"context"
	"io"
)

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return usageError{"serve: not built yet"}
}
