package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/askdocs/askdocs/retrieval/corpus"
)

// engineConfig says where the documents (and the stored index) are.
type engineConfig struct {
	DocsDir   string // "" means the embedded seeds
	IndexPath string // "" means an index in memory
	// ReadOnly serves a stored index as it is, never updating it: for
	// the shards sharing one index folder.
	ReadOnly bool
	// BaseURL is DOCS_BASE_URL, the template of a passage's address
	// (see corpus.URLTemplate); "" means none.
	BaseURL string
}

// urls parses BaseURL.
func (c engineConfig) urls() (corpus.URLTemplate, error) {
	t, err := corpus.ParseURLTemplate(c.BaseURL)
	if err != nil {
		return t, usageError{"DOCS_BASE_URL " + err.Error()}
	}
	return t, nil
}

// loadEngineConfig reads DOCS_DIR, INDEX_PATH and INDEX_READONLY; flags
// override them.
func loadEngineConfig(getenv func(string) string) engineConfig {
	ro, _ := strconv.ParseBool(strings.TrimSpace(getenv("INDEX_READONLY")))
	return engineConfig{
		DocsDir:   strings.TrimSpace(getenv("DOCS_DIR")),
		IndexPath: strings.TrimSpace(getenv("INDEX_PATH")),
		ReadOnly:  ro,
		BaseURL:   strings.TrimSpace(getenv("DOCS_BASE_URL")),
	}
}

// flags adds --docs and --index to fs, defaulting to c's values.
func (c *engineConfig) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.DocsDir, "docs", c.DocsDir, "documents folder")
	fs.StringVar(&c.IndexPath, "index", c.IndexPath, "index folder")
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
