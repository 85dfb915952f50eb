package bot

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestConfigDefaults(t *testing.T) {
	c := Config{Token: "t"}.WithDefaults()
	want := Config{Token: "t", Keyword: "!ask", Lang: "vi", MaxQuestion: 500, RateLimit: 5, RateWindow: 30 * time.Second,
		Results: 3, ButtonTTL: 15 * time.Minute, ShutdownTimeout: 10 * time.Second}
	if c != want {
		t.Errorf("WithDefaults = %+v, want %+v", c, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	const secret = "s3cr3t.T0ken"
	tests := []struct {
		name string
		mod  func(*Config)
		want string // substring of the error, naming the setting
	}{
		{"no token", func(c *Config) { c.Token = "" }, "Token is empty"},
		{"Bot prefix", func(c *Config) { c.Token = "Bot " + secret }, "Token must not start"},
		{"newline in token", func(c *Config) { c.Token = secret + "\n" }, "Token contains"},
		{"keyword with space", func(c *Config) { c.Keyword = "! ask" }, "Keyword"},
		{"lang", func(c *Config) { c.Lang = "fr" }, `Lang "fr"`},
		{"guild", func(c *Config) { c.GuildID = "abc" }, "GuildID"},
		{"shard id", func(c *Config) { c.ShardID, c.ShardCount = 2, 2 }, "ShardID 2"},
		{"shard without count", func(c *Config) { c.ShardID = 1 }, "ShardID 1"},
		{"negative shards", func(c *Config) { c.ShardCount = -1 }, "ShardCount -1"},
		{"max question", func(c *Config) { c.MaxQuestion = 7000 }, "MaxQuestion 7000"},
		{"rate limit", func(c *Config) { c.RateLimit = -1 }, "RateLimit -1"},
		{"rate window", func(c *Config) { c.RateWindow = time.Millisecond }, "RateWindow 1ms"},
		{"results", func(c *Config) { c.Results = 11 }, "Results 11"},
		{"button ttl", func(c *Config) { c.ButtonTTL = 48 * time.Hour }, "ButtonTTL 48h"},
		{"shutdown", func(c *Config) { c.ShutdownTimeout = -time.Second }, "ShutdownTimeout -1s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Config{Token: secret}
			tc.mod(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
	if _, err := New(Config{}, fakeSearcher{}, nil); err == nil {
		t.Error("New accepted an empty config")
	}
	if _, err := New(Config{Token: secret}, nil, nil); err == nil {
		t.Error("New accepted a nil Searcher")
	}
}

func TestLangForLocale(t *testing.T) {
	for _, tc := range []struct {
		locale string
		def    Lang
		want   Lang
	}{
		{"vi", LangEN, LangVI}, {"en-US", LangVI, LangEN}, {"fr", LangVI, LangEN}, {"", LangEN, LangEN}, {"", LangVI, LangVI},
	} {
		if got := langForLocale(tc.locale, tc.def); got != tc.want {
			t.Errorf("langForLocale(%q, %q) = %q, want %q", tc.locale, tc.def, got, tc.want)
		}
	}
}

// TestCatalog checks every language has every string.
func TestCatalog(t *testing.T) {
	for lang, m := range catalog() {
		for name, s := range map[string]string{
			"Usage": m.Usage("`x`"), "UsageExample": m.UsageExample, "TooLong": m.TooLong(9, 5),
			"RateLimited": m.RateLimited(time.Second), "SearchError": m.SearchError, "NoAnswer": m.NoAnswer,
			"Rephrase": m.Rephrase, "Covers": m.Covers, "AlsoIn": m.AlsoIn, "More": m.More, "Previous": m.Previous,
			"FullPassage": m.FullPassage(1), "PageFooter": m.PageFooter(1, 2, 1, 3, 5), "ResultCount": m.ResultCount(2),
			"Expired": m.Expired(time.Minute), "CommandDescription": m.CommandDescription,
			"OptionDescription": m.OptionDescription, "OptionName": m.OptionName,
		} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", lang, name)
			}
		}
	}
}

// TestAskCommand checks /ask against Discord's rules for commands.
func TestAskCommand(t *testing.T) {
	nameRE := regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)
	c := askCommand(500)
	if c.Name != "ask" || len(c.Options) != 1 || c.Options[0].Name != "question" || !c.Options[0].Required || c.Options[0].MaxLength != 500 {
		t.Fatalf("unexpected command %+v", c)
	}
	names := []string{c.Name, c.Options[0].Name}
	for _, n := range *c.NameLocalizations {
		names = append(names, n)
	}
	for _, n := range c.Options[0].NameLocalizations {
		names = append(names, n)
	}
	for _, n := range names {
		if !nameRE.MatchString(n) || n != strings.ToLower(n) {
			t.Errorf("invalid command or option name %q", n)
		}
	}
	descs := []string{c.Description, c.Options[0].Description}
	for _, d := range *c.DescriptionLocalizations {
		descs = append(descs, d)
	}
	for _, d := range c.Options[0].DescriptionLocalizations {
		descs = append(descs, d)
	}
	for _, d := range descs {
		if n := utf8.RuneCountInString(d); n < 1 || n > 100 {
			t.Errorf("description %q has %d characters, want 1 to 100", d, n)
		}
	}
	if got := (*c.DescriptionLocalizations)["vi"]; got != "Hỏi một câu về tài liệu" {
		t.Errorf("vi description = %q", got)
	}
}
