package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/joho/godotenv"
)

// knownSettings is every variable askdocs reads (see .env.example), and
// the few of Go's own that a .env may set for it.
var knownSettings = []string{
	"DOCS_DIR", "INDEX_PATH", "INDEX_READONLY",
	"DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_SHARD_ID", "DISCORD_SHARD_COUNT",
	"BOT_KEYWORD", "BOT_LANG", "MAX_QUESTION_CHARS", "RATE_LIMIT", "RATE_WINDOW",
	"RESULTS_PER_PAGE", "BUTTON_TTL", "SHUTDOWN_TIMEOUT", "WATCH_INTERVAL",
	"LOG_LEVEL", "METRICS_ADDR", "GOGC",
}

// ownPrefixes mark variables meant for askdocs: one of these not in
// knownSettings is a mistake worth a warning.
var ownPrefixes = []string{"ASKDOCS_", "DISCORD_", "BOT_"}

// loadEnv returns the settings: the process's environment (environ, as
// os.Environ gives it) over the .env file at path, if there is one. A
// malformed line of the file is an error naming the file and the line,
// never showing a value. Unknown settings are warnings, with a
// suggestion when one is close.
func loadEnv(path string, environ []string) (getenv func(string) string, warnings []string, err error) {
	file, lines, warnings, err := readDotEnv(path)
	if err != nil {
		return nil, nil, err
	}
	proc := map[string]string{}
	var procNames []string
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			proc[k] = v
			procNames = append(procNames, k)
		}
	}
	for _, k := range sortedKeys(lines) {
		if w := unknownSetting(k, true); w != "" {
			warnings = append(warnings, fmt.Sprintf("%s line %d: %s", path, lines[k], w))
		}
	}
	slices.Sort(procNames)
	for _, k := range procNames {
		if _, inFile := lines[k]; inFile {
			continue
		}
		if w := unknownSetting(k, false); w != "" {
			warnings = append(warnings, "environment: "+w)
		}
	}
	return func(k string) string {
		if v, ok := proc[k]; ok {
			return v
		}
		return file[k]
	}, warnings, nil
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return m[a] - m[b] })
	return keys
}

// unknownSetting is a warning for name if it looks meant for askdocs but
// is not one of its settings; "" if it is fine. Names from a .env file
// are also checked for near misses of any setting ("RATE_LIMT").
func unknownSetting(name string, fromFile bool) string {
	if slices.Contains(knownSettings, name) {
		return ""
	}
	own := false
	for _, p := range ownPrefixes {
		own = own || strings.HasPrefix(name, p)
	}
	best, dist := closestSetting(name)
	if !own && !(fromFile && dist <= 2) {
		return ""
	}
	if best != "" {
		return fmt.Sprintf("unknown setting %s (did you mean %s?)", name, best)
	}
	return fmt.Sprintf("unknown setting %s (see .env.example for the settings)", name)
}

// closestSetting is the known setting nearest to name, if one is near
// enough to suggest, and its edit distance.
func closestSetting(name string) (string, int) {
	best, bestDist := "", 1<<30
	for _, k := range knownSettings {
		d := editDistance(name, k)
		if s, ok := strings.CutPrefix(name, "ASKDOCS_"); ok {
			d = min(d, editDistance(s, k))
		}
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist > max(2, len(best)/3) {
		// A part of a name ("ASKDOCS_INDEX" for INDEX_PATH).
		part := strings.TrimPrefix(name, "ASKDOCS_")
		for _, k := range knownSettings {
			if len(part) >= 4 && strings.Contains(k, part) {
				return k, bestDist
			}
		}
		return "", bestDist
	}
	return best, bestDist
}

// editDistance is the Levenshtein distance between a and b (bytes:
// variable names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// readDotEnv reads a .env file, one KEY=value a line (see
// parseEnvLine). A missing file is no settings. lines gives the line of
// each key; a key set twice is a warning, and the later line wins.
func readDotEnv(path string) (vals map[string]string, lines map[string]int, warnings []string, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, map[string]int{}, nil, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("settings: %w", err)
	}
	defer f.Close()
	vals, lines = map[string]string{}, map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		k, v, err := parseEnvLine(sc.Text())
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		if k == "" {
			continue
		}
		if first, dup := lines[k]; dup {
			warnings = append(warnings, fmt.Sprintf("%s line %d: %s is set again (first on line %d); line %d wins", path, n, k, first, n))
		}
		vals[k], lines[k] = v, n
	}
	if err := sc.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("settings: read %s: %w", path, err)
	}
	return vals, lines, warnings, nil
}

// parseEnvLine parses one line of a .env file; key is "" for a blank or
// comment line. The line must be KEY=value, optionally after "export ",
// with a value unquoted (up to a " #" comment), 'single-quoted' or
// "double-quoted" on one line; the value is then read as godotenv reads
// it (escapes, ${VAR}). Errors name the key, never the value: it may be a
// token.
func parseEnvLine(line string) (key, val string, err error) {
	line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
	if line == "" || strings.HasPrefix(line, "#") {
		return "", "", nil
	}
	key, rest, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
	key = strings.TrimSpace(key)
	if !ok {
		return "", "", errors.New("not a KEY=value line (the line is not shown: it may hold a secret)")
	}
	if !isVarName(key) {
		return "", "", errors.New("the name before = is not a variable name (letters, digits and _, not starting with a digit)")
	}
	rest = strings.TrimSpace(rest)
	if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
		q := rest[0]
		i := 1
		for ; i < len(rest) && rest[i] != q; i++ {
			if q == '"' && rest[i] == '\\' {
				i++
			}
		}
		if i >= len(rest) {
			return "", "", fmt.Errorf("%s: the value's quote is not closed (a value spans one line)", key)
		}
		if after := strings.TrimSpace(rest[i+1:]); after != "" && !strings.HasPrefix(after, "#") {
			return "", "", fmt.Errorf("%s: text after the value's closing quote", key)
		}
	}
	m, err := godotenv.Unmarshal(key + "=" + rest)
	if err != nil || len(m) != 1 {
		return "", "", fmt.Errorf("%s: the value cannot be read (not shown)", key)
	}
	return key, m[key], nil
}

func isVarName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}
