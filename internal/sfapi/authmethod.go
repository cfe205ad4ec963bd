package sfapi

import "strings"

const authOptions = "Configure exactly one of: access_token; client_id + username + private_key (JWT bearer); " +
	"client_id + refresh_token (+ client_secret) (refresh token); client_id + client_secret (client credentials)."

// ChooseAuthMethod decides the auth method from which credential fields are
// set. It refuses to guess: a combination that fits two flows, or one flow
// only partly, is a *ConfigError naming the fields to fix, because silently
// picking one would authenticate as someone the user did not mean.
func ChooseAuthMethod(cfg Config) (AuthMethod, error) {
	at, pk, cs := set(cfg.AccessToken), set(cfg.PrivateKeyPEM), set(cfg.ClientSecret)
	rt, id, un := set(cfg.RefreshToken), set(cfg.ClientID), set(cfg.Username)

	if at {
		var others []string
		for _, f := range []struct {
			name string
			on   bool
		}{{"client_id", id}, {"username", un}, {"private_key", pk}, {"client_secret", cs}, {"refresh_token", rt}} {
			if f.on {
				others = append(others, f.name)
			}
		}
		if len(others) > 0 {
			return "", &ConfigError{
				Fields:  append([]string{"access_token"}, others...),
				Summary: "access_token cannot be combined with " + strings.Join(others, ", "),
				Detail: "An access token is used as is. Remove access_token to let the provider obtain tokens itself, " +
					"or remove " + strings.Join(others, ", ") + " to use the access token.",
			}
		}
		return AuthAccessToken, nil
	}

	switch {
	case pk && rt:
		return "", &ConfigError{
			Fields:  []string{"private_key", "refresh_token"},
			Summary: "private_key and refresh_token select different auth methods",
			Detail:  "Keep private_key (JWT bearer, recommended) or refresh_token, not both.",
		}
	case pk && cs:
		return "", &ConfigError{
			Fields:  []string{"private_key", "client_secret"},
			Summary: "private_key and client_secret select different auth methods",
			Detail:  "Keep private_key with username (JWT bearer) or client_secret without username (client credentials), not both.",
		}
	case pk:
		if missing := missingFields(map[string]bool{"client_id": id, "username": un}); len(missing) > 0 {
			return "", &ConfigError{
				Fields:  missing,
				Summary: "JWT bearer authentication needs " + strings.Join(missing, " and "),
				Detail:  "private_key is set, so the JWT bearer flow is used: it needs client_id (the consumer key) and username (the integration user).",
			}
		}
		return AuthJWTBearer, nil
	case un:
		return "", &ConfigError{
			Fields:  []string{"private_key", "username"},
			Summary: "username is set but private_key is not",
			Detail:  "username is used only by the JWT bearer flow, which also needs private_key and client_id. For client credentials or a refresh token, remove username.",
		}
	case rt:
		if !id {
			return "", &ConfigError{
				Fields:  []string{"client_id"},
				Summary: "refresh token authentication needs client_id",
				Detail:  "Set client_id to the consumer key of the app that issued the refresh token.",
			}
		}
		return AuthRefreshToken, nil
	case cs:
		if !id {
			return "", &ConfigError{
				Fields:  []string{"client_id"},
				Summary: "client credentials authentication needs client_id",
				Detail:  "Set client_id to the consumer key of the app whose consumer secret is client_secret.",
			}
		}
		return AuthClientCredentials, nil
	case id:
		return "", &ConfigError{
			Fields:  []string{"private_key", "client_secret", "refresh_token"},
			Summary: "client_id alone is not enough to authenticate",
			Detail:  authOptions,
		}
	default:
		return "", &ConfigError{
			Fields:  []string{"access_token", "private_key", "client_secret", "refresh_token"},
			Summary: "no Salesforce credentials configured",
			Detail:  authOptions,
		}
	}
}

// missingFields lists, in a stable order, the names whose value is false.
func missingFields(present map[string]bool) []string {
	var out []string
	for _, name := range []string{"instance_url", "login_url", "api_version", "client_id", "username",
		"private_key", "client_secret", "refresh_token", "access_token"} {
		if ok, known := present[name]; known && !ok {
			out = append(out, name)
		}
	}
	return out
}
