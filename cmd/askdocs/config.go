package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// engineConfig says where the documents (and the stored index) are.
type engineConfig struct {
	DocsDir   string // "" means the embedded seeds
	IndexPath string // "" means an index in memory
	// ReadOnly serves a stored index as it is, never updating it: for
	// the shards sharing one index folder.
	ReadOnly bool
	// Rebuild builds the stored index from scratch: the one way to
	// replace an index of other documents (--rebuild).
	Rebuild bool
}

// loadEngineConfig reads DOCS_DIR, INDEX_PATH and INDEX_READONLY; flags
// override them.
func loadEngineConfig(getenv func(string) string) engineConfig {
	ro, _ := strconv.ParseBool(strings.TrimSpace(getenv("INDEX_READONLY")))
	return engineConfig{
		DocsDir:   strings.TrimSpace(getenv("DOCS_DIR")),
		IndexPath: strings.TrimSpace(getenv("INDEX_PATH")),
		ReadOnly:  ro,
	}
}

// flags adds --docs, --index and --rebuild to fs, defaulting to c's
// values.
func (c *engineConfig) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.DocsDir, "docs", c.DocsDir, "documents folder `DIR`, its .txt and .md files read recursively (DOCS_DIR; default: the folder a stored index records, else the embedded seeds)")
	fs.StringVar(&c.IndexPath, "index", c.IndexPath, "stored index `DIR` (INDEX_PATH; default: in memory)")
	fs.BoolVar(&c.Rebuild, "rebuild", false, "build the stored index from scratch, replacing one built from other documents")
}

// logLevel parses LOG_LEVEL (debug, info, warn, error).
func logLevel(s string, def slog.Level) (slog.Level, error) {
	if strings.TrimSpace(s) == "" {
		return def, nil
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return def, fmt.Errorf("LOG_LEVEL %q: want debug, info, warn or error", s)
	}
	return l, nil
}
