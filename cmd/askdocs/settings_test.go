package main

import (
	"testing"
)

// TestSettingsOutOfRange checks that every numeric, duration and
// true/false setting that is out of range or unreadable is an error
// naming it, for the commands that read it; so are the other settings
// serve checks.
func TestSettingsOutOfRange(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		cmd         []string
		want        string
	}{
		{"MAX_QUESTION_CHARS", "0", nil, "serve: MAX_QUESTION_CHARS 0: want 1 to 6000"},
		{"MAX_QUESTION_CHARS", "7000", nil, "serve: MAX_QUESTION_CHARS 7000: want 1 to 6000"},
		{"RATE_LIMIT", "0", nil, "serve: RATE_LIMIT 0: want 1 to 1048576"},
		{"RATE_LIMIT", "-2", nil, "serve: RATE_LIMIT -2: want 1 to 1048576"},
		{"RATE_WINDOW", "500ms", nil, "serve: RATE_WINDOW 500ms: want 1s to 24h0m0s"},
		{"RATE_WINDOW", "soon", nil, `serve: RATE_WINDOW "soon": want a duration such as 30s or 15m`},
		{"RESULTS_PER_PAGE", "11", nil, "serve: RESULTS_PER_PAGE 11: want 1 to 10"},
		{"RESULTS_PER_PAGE", "0", nil, "serve: RESULTS_PER_PAGE 0: want 1 to 10"},
		{"BUTTON_TTL", "48h", nil, "serve: BUTTON_TTL 48h0m0s: want 1s to 24h0m0s"},
		{"SHUTDOWN_TIMEOUT", "0s", nil, "serve: SHUTDOWN_TIMEOUT 0s: want 1ms to 1h0m0s"},
		{"SHUTDOWN_TIMEOUT", "-1s", nil, "serve: SHUTDOWN_TIMEOUT -1s: want 1ms to 1h0m0s"},
		{"WATCH_INTERVAL", "-1s", nil, "serve: WATCH_INTERVAL -1s: want 0 (off) or at least 100ms"},
		{"WATCH_INTERVAL", "1ms", nil, "serve: WATCH_INTERVAL 1ms: want 0 (off) or at least 100ms"},
		{"WATCH_INTERVAL", "often", nil, `serve: WATCH_INTERVAL "often": want a duration such as 10s, or 0 (off)`},
		{"DISCORD_SHARD_COUNT", "0", nil, "serve: DISCORD_SHARD_COUNT 0: want 1 to 65536"},
		{"DISCORD_SHARD_ID", "2", nil, "serve: DISCORD_SHARD_ID 2: want 0 to DISCORD_SHARD_COUNT-1 (DISCORD_SHARD_COUNT is 1)"},
		{"DISCORD_SHARD_ID", "x", nil, `serve: DISCORD_SHARD_ID "x": want a whole number`},
		{"INDEX_READONLY", "yes please", nil, `serve: INDEX_READONLY "yes please": want true or false`},
		{"INDEX_READONLY", "maybe", []string{"ask", "x"}, `INDEX_READONLY "maybe": want true or false`},
		{"INDEX_READONLY", "maybe", []string{"index", "--index", "/nonexistent"}, `INDEX_READONLY "maybe": want true or false`},
		{"BOT_LANG", "fr", []string{"ask", "x"}, `ask: BOT_LANG "fr": want vi or en`},
		{"GOGC", "lots", []string{"ask", "x"}, `GOGC "lots": want off or a whole number from 1 (percent of live heap)`},
		{"DISCORD_GUILD_ID", "my-server", nil, `serve: DISCORD_GUILD_ID "my-server": want a server id, digits only (Developer Mode → right-click the server → Copy Server ID)`},
		{"BOT_LANG", "fr", nil, `serve: BOT_LANG "fr": want vi or en`},
		{"BOT_KEYWORD", "hey bot", nil, "serve: BOT_KEYWORD: want one word of at most 32 characters"},
		{"METRICS_ADDR", "9090", nil, `serve: METRICS_ADDR "9090": want host:port, e.g. 127.0.0.1:9090`},
	} {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			cmd := tt.cmd
			if cmd == nil {
				cmd = []string{"serve"}
			}
			_, _, err := runCmd(t, map[string]string{"DISCORD_TOKEN": "t", tt.name: tt.value}, "", cmd...)
			if err == nil || err.Error() != tt.want || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d)\nwant  %s (exit 2)", err, exitCode(err), tt.want)
			}
		})
	}
}
