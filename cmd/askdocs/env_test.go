package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadEnv checks the .env reader: values as godotenv reads them, the
// environment over the file, a malformed line an error naming the file
// and the line and never the value, unknown settings warned about.
func TestLoadEnv(t *testing.T) {
	const secret = "MTAxMjM0NTY3ODkw.Gh1jKl.s3cr3t-t0ken"
	for _, tt := range []struct {
		name     string
		file     string
		environ  []string
		want     map[string]string
		err      string // "" for none; the error is always the whole of it
		warnings []string
	}{
		{name: "values", file: "# comment\n\nexport DOCS_DIR=/data\nBOT_KEYWORD = '!hoi' # inline\nBOT_LANG=\"en\"\nRATE_WINDOW=1m # one minute\nDISCORD_TOKEN=\n",
			want: map[string]string{"DOCS_DIR": "/data", "BOT_KEYWORD": "!hoi", "BOT_LANG": "en", "RATE_WINDOW": "1m", "DISCORD_TOKEN": ""}},
		{name: "environment wins", file: "LOG_LEVEL=debug\n", environ: []string{"LOG_LEVEL=warn", "PATH=/bin"},
			want: map[string]string{"LOG_LEVEL": "warn", "PATH": "/bin"}},
		{name: "no file", want: map[string]string{"DOCS_DIR": ""}},
		{name: "pasted token alone", file: "DOCS_DIR=/data\n" + secret + "\n",
			err: ".env line 2: not a KEY=value line (the line is not shown: it may hold a secret)"},
		{name: "token unclosed quote", file: "DISCORD_TOKEN=\"" + secret + "\n",
			err: `.env line 1: DISCORD_TOKEN: the value's quote is not closed (a value spans one line)`},
		{name: "text after quote", file: "\n\nDISCORD_TOKEN='" + secret + "' x\n",
			err: ".env line 3: DISCORD_TOKEN: text after the value's closing quote"},
		{name: "bad name", file: "RATE LIMIT=5\n", err: ".env line 1: the name before = is not a variable name (letters, digits and _, not starting with a digit)"},
		{name: "unknown settings", file: "RATE_LIMT=5\nASKDOCS_DOCS_DIR=/x\nOTHER_TOOL=1\nASKDOCS_INDEX=/y\n", environ: []string{"DISCORD_TOKN=x", "BOT_COLOUR=red", "HOME=/root"},
			want: map[string]string{"RATE_LIMT": "5", "OTHER_TOOL": "1"},
			warnings: []string{
				".env line 1: unknown setting RATE_LIMT (did you mean RATE_LIMIT?)",
				".env line 2: unknown setting ASKDOCS_DOCS_DIR (did you mean DOCS_DIR?)",
				".env line 4: unknown setting ASKDOCS_INDEX (did you mean INDEX_PATH?)",
				"environment: unknown setting BOT_COLOUR (see .env.example for the settings)",
				"environment: unknown setting DISCORD_TOKN (did you mean DISCORD_TOKEN?)",
			}},
		{name: "set twice", file: "BOT_LANG=vi\nBOT_LANG=en\n", want: map[string]string{"BOT_LANG": "en"},
			warnings: []string{".env line 2: BOT_LANG is set again (first on line 1); line 2 wins"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, ".env")
			if tt.file != "" {
				os.WriteFile(path, []byte(tt.file), 0o600)
			}
			getenv, warnings, err := loadEnv(path, tt.environ)
			if tt.err != "" {
				if want := path[:len(path)-len(".env")] + tt.err; err == nil || err.Error() != want {
					t.Fatalf("err = %v\nwant  %s", err, want)
				}
				if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "s3cr3t") {
					t.Fatalf("the error shows the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if got := getenv(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			var want []string
			for _, w := range tt.warnings {
				if strings.HasPrefix(w, ".env") {
					w = path + w[len(".env"):]
				}
				want = append(want, w)
			}
			if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
