package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tfLogger bridges the API clients' logging to tflog. The clients never log
// secrets on purpose; the masks are the second line of defence, for values a
// response might echo back.
type tfLogger struct {
	mu      sync.RWMutex
	secrets []string
}

func newTFLogger() *tfLogger { return &tfLogger{} }

func (l *tfLogger) addSecrets(values ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range values {
		if v != "" {
			l.secrets = append(l.secrets, v)
		}
	}
}

func (l *tfLogger) masked(ctx context.Context) context.Context {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if len(l.secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, l.secrets...)
	return tflog.MaskAllFieldValuesStrings(ctx, l.secrets...)
}

// with returns a logger for one client, tagging every line with its API.
func (l *tfLogger) with(api string) clientLogger { return clientLogger{parent: l, api: api} }

// clientLogger satisfies both sfapi.Logger and npapi.Logger.
type clientLogger struct {
	parent *tfLogger
	api    string
}

func (c clientLogger) Log(ctx context.Context, level, msg string, fields map[string]any) {
	ctx = c.parent.masked(ctx)
	ctx = tflog.SetField(ctx, "api", c.api)
	switch level {
	case "warn":
		tflog.Warn(ctx, msg, fields)
	case "info":
		tflog.Info(ctx, msg, fields)
	default:
		tflog.Debug(ctx, msg, fields)
	}
}
