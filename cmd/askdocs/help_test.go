package main

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/retrieval"
)

// TestHelp checks that every command's --help (and -h, and "askdocs help
// COMMAND") prints its synopsis, every one of its flags and an example,
// and exits 0 even when the settings would make the command fail.
func TestHelp(t *testing.T) {
	for _, tt := range []struct {
		cmd   string
		flags []string
	}{
		{"ask", []string{"--json", "--k N", "--docs DIR", "--index DIR", "--rebuild"}},
		{"eval", []string{"--docs DIR", "--index DIR", "--rebuild", "--v", "--min-hit1 X", "--min-hit3 X", "--min-mrr X", "--min-abstain X", "--min-answer X", "--max-false-abstain N", "--max-false-answer N"}},
		{"index", []string{"--docs DIR", "--index DIR", "--rebuild"}},
		{"serve", []string{"--docs DIR", "--index DIR", "--rebuild"}},
		{"bench", []string{"--passages", "--docs", "--queries", "--runs", "--index", "--batch", "--cpuprofile", "--json"}},
	} {
		for _, args := range [][]string{{tt.cmd, "--help"}, {tt.cmd, "-h"}, {"help", tt.cmd}} {
			// No DISCORD_TOKEN and a bad setting: help works regardless.
			out, _, err := runCmd(t, map[string]string{"INDEX_READONLY": "maybe"}, "", args...)
			if err != nil {
				t.Errorf("%v: %v", args, err)
				continue
			}
			for _, want := range append([]string{"Usage: askdocs " + tt.cmd + " ", "\nFlags:\n", "\nExamples:\n  askdocs " + tt.cmd}, tt.flags...) {
				if !strings.Contains(out, want) {
					t.Errorf("%v: help lacks %q:\n%s", args, want, out)
				}
			}
		}
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version"} {
		out, _, err := runCmd(t, nil, "", arg)
		if err != nil {
			t.Fatal(err)
		}
		want := regexp.MustCompile(`^askdocs \S.*\n` + regexp.QuoteMeta(runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) +
			`\nindex analysis version ` + regexp.QuoteMeta(retrieval.AnalysisVersion()) + `\n$`)
		if !want.MatchString(out) {
			t.Errorf("%s: %q, want %s", arg, out, want)
		}
	}
}
