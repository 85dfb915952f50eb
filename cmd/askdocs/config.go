package main

import (
	"flag"
	"fmt"
	"log/slog"
	"runtime/debug"
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
	// Rebuild builds the stored index from scratch: the one way to
	// replace an index of other documents (--rebuild).
	Rebuild bool
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
// override the first two.
func loadEngineConfig(getenv func(string) string) (engineConfig, error) {
	c := engineConfig{
		DocsDir:   strings.TrimSpace(getenv("DOCS_DIR")),
		IndexPath: strings.TrimSpace(getenv("INDEX_PATH")),
		BaseURL:   strings.TrimSpace(getenv("DOCS_BASE_URL")),
	}
	if s := strings.TrimSpace(getenv("INDEX_READONLY")); s != "" {
		ro, err := strconv.ParseBool(s)
		if err != nil {
			return c, usageError{fmt.Sprintf("INDEX_READONLY %q: want true or false", s)}
		}
		c.ReadOnly = ro
	}
	return c, nil
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

// defaultGCPercent is the garbage collector's target when GOGC is not
// set. An index is mostly long-lived data, so Go's default of 100 lets
// the heap reach twice what is live; 50 keeps a 100,000-passage build
// under 400 MB for about 3% more build time.
const defaultGCPercent = 50

// setGCPercent applies GOGC: unset means defaultGCPercent, and a value
// from .env is applied here, after the runtime read the environment.
// Anything but "off" or a whole number from 1 is an error, and changes
// nothing.
func setGCPercent(v string) error {
	v = strings.TrimSpace(v)
	switch n, err := strconv.Atoi(v); {
	case v == "":
		debug.SetGCPercent(defaultGCPercent)
	case v == "off":
		debug.SetGCPercent(-1)
	case err == nil && n >= 1:
		debug.SetGCPercent(n)
	default:
		return usageError{fmt.Sprintf("GOGC %q: want off or a whole number from 1 (percent of live heap)", v)}
	}
	return nil
}
