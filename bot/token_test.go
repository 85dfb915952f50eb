package bot

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestTokenRejected(t *testing.T) {
	rest := func(code int) error {
		return fmt.Errorf("gateway: %w", &discordgo.RESTError{Response: &http.Response{StatusCode: code}})
	}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"gateway close 4004", fmt.Errorf("open: %w", &websocket.CloseError{Code: 4004, Text: "Authentication failed."}), true},
		{"gateway close 4014", &websocket.CloseError{Code: 4014}, false},
		{"gateway close 4000", &websocket.CloseError{Code: 4000}, false},
		{"REST 401", rest(http.StatusUnauthorized), true},
		{"REST 403", rest(http.StatusForbidden), false},
		{"REST 500", rest(http.StatusInternalServerError), false},
		{"REST error without response", &discordgo.RESTError{}, false},
		{"other", errors.New("dial tcp: connection refused"), false},
	} {
		if got := tokenRejected(tt.err); got != tt.want {
			t.Errorf("%s: tokenRejected = %v, want %v", tt.name, got, tt.want)
		}
	}
}
