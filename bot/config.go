package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Defaults for the zero values of Config.
const (
	DefaultKeyword         = "!ask"
	DefaultMaxQuestion     = 500
	DefaultRateLimit       = 5
	DefaultRateWindow      = 30 * time.Second
	DefaultResults         = 3
	DefaultButtonTTL       = 15 * time.Minute
	DefaultShutdownTimeout = 10 * time.Second
)

// Bounds checked by Config.Validate.
const (
	// MaxResults is the largest Config.Results: a page's full-passage
	// buttons must fit in two rows of five.
	MaxResults = 10
	// MaxMaxQuestion is the largest Config.MaxQuestion: the longest string
	// option Discord accepts in a slash command.
	MaxMaxQuestion = 6000
	// maxKeywordRunes keeps the keyword short enough to show in hints.
	maxKeywordRunes = 32
	// maxButtonTTL stays below Discord's 15-minute interaction token life
	// times a comfortable margin; a button older than a day is stale.
	maxButtonTTL = 24 * time.Hour
)

// Config configures a Bot. The zero value of every field but Token means
// its default; call WithDefaults to see them.
type Config struct {
	// Token is the bot token, without the "Bot " prefix. It is never
	// logged and never appears in errors.
	Token string
	// Keyword starts a question at the beginning of a message,
	// case-insensitively, followed by a word boundary. Default "!ask".
	Keyword string
	// Lang is the language of replies to messages and the fallback for
	// interactions without a locale: "vi" (default) or "en".
	Lang string
	// GuildID, if set, is the guild where /ask is registered (instantly
	// visible, for development); otherwise /ask is registered globally.
	GuildID string
	// ShardID and ShardCount select a gateway shard. ShardCount 0 or 1
	// means no sharding.
	ShardID, ShardCount int
	// MaxQuestion is the longest question accepted, in runes. Default 500.
	MaxQuestion int
	// RateLimit is how many questions one user may ask per RateWindow.
	// Default 5.
	RateLimit int
	// RateWindow is the sliding window of the rate limit. Default 30s.
	RateWindow time.Duration
	// Results is the number of results shown per page. Default 3.
	Results int
	// ButtonTTL is how long the state behind "More results" and "Full
	// passage" buttons is kept in memory. Default 15m.
	ButtonTTL time.Duration
	// ShutdownTimeout bounds the wait for in-flight replies when Run's
	// context is cancelled. Default 10s.
	ShutdownTimeout time.Duration
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Keyword == "" {
		c.Keyword = DefaultKeyword
	}
	if c.Lang == "" {
		c.Lang = string(LangVI)
	}
	if c.MaxQuestion == 0 {
		c.MaxQuestion = DefaultMaxQuestion
	}
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.RateWindow == 0 {
		c.RateWindow = DefaultRateWindow
	}
	if c.Results == 0 {
		c.Results = DefaultResults
	}
	if c.ButtonTTL == 0 {
		c.ButtonTTL = DefaultButtonTTL
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	return c
}

// Validate reports every invalid setting of c (after defaults are applied),
// naming the setting. It never includes the token in its error.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("bot: config: "+format, args...))
	}
	switch {
	case strings.TrimSpace(c.Token) == "":
		bad("Token is empty: set the bot token from the Discord developer portal")
	case strings.HasPrefix(c.Token, "Bot ") || strings.HasPrefix(c.Token, "Bearer "):
		bad("Token must not start with \"Bot \" or \"Bearer \": give the bare token")
	case strings.ContainsFunc(c.Token, func(r rune) bool { return unicode.IsSpace(r) || r < 0x20 || r >= 0x7f }):
		bad("Token contains spaces or non-ASCII characters (not shown): check for stray quotes or newlines")
	}
	if !utf8.ValidString(c.Keyword) || strings.ContainsFunc(c.Keyword, unicode.IsSpace) ||
		utf8.RuneCountInString(c.Keyword) > maxKeywordRunes {
		bad("Keyword %q must be one word of at most %d characters", sanitizeLine(c.Keyword, maxKeywordRunes), maxKeywordRunes)
	}
	if _, ok := parseLang(c.Lang); !ok {
		bad("Lang %q: want \"vi\" or \"en\"", sanitizeLine(c.Lang, 16))
	}
	if c.GuildID != "" && !isSnowflake(c.GuildID) {
		bad("GuildID %q is not a Discord ID (digits only)", sanitizeLine(c.GuildID, 32))
	}
	if c.ShardCount < 0 {
		bad("ShardCount %d must not be negative", c.ShardCount)
	}
	if c.ShardID < 0 || (c.ShardCount > 1 && c.ShardID >= c.ShardCount) || (c.ShardCount <= 1 && c.ShardID != 0) {
		bad("ShardID %d must be in [0, ShardCount) (ShardCount %d)", c.ShardID, c.ShardCount)
	}
	if c.MaxQuestion < 1 || c.MaxQuestion > MaxMaxQuestion {
		bad("MaxQuestion %d: want 1 to %d characters", c.MaxQuestion, MaxMaxQuestion)
	}
	if c.RateLimit < 1 {
		bad("RateLimit %d: want at least 1 question per window", c.RateLimit)
	}
	if c.RateWindow < time.Second {
		bad("RateWindow %v: want at least 1s", c.RateWindow)
	}
	if c.Results < 1 || c.Results > MaxResults {
		bad("Results %d: want 1 to %d results per page", c.Results, MaxResults)
	}
	if c.ButtonTTL < time.Second || c.ButtonTTL > maxButtonTTL {
		bad("ButtonTTL %v: want 1s to %v", c.ButtonTTL, maxButtonTTL)
	}
	if c.ShutdownTimeout < 0 {
		bad("ShutdownTimeout %v must not be negative", c.ShutdownTimeout)
	}
	return errors.Join(errs...)
}

// isSnowflake reports whether s looks like a Discord ID.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
