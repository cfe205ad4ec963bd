package npfake

import (
	"html/template"
	"net/http"
)

// The fake Salesforce login page is where authorize_url leads by default.
// A person running the emulator opens it, types the integration user's
// username and approves; tests call ApprovePendingAuthorization instead.

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Salesforce (fake): Allow Access?</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:3em auto">
<h1>Allow Access?</h1>
{{if .Message}}<p><strong>{{.Message}}</strong></p>{{end}}
{{if .State}}
<p>Gainsight Customer Education (Northpass) is asking to access your Salesforce org{{if .Instance}} at {{.Instance}}{{end}}.
Log in as the integration user (not a System Administrator).</p>
<form method="post">
<input type="hidden" name="state" value="{{.State}}">
<label>Username <input name="username" type="email" required autofocus></label>
<button type="submit">Allow</button>
</form>
{{end}}
</body></html>
`))

type loginView struct{ State, Instance, Message string }

func renderLogin(w http.ResponseWriter, status int, v loginView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = loginTemplate.Execute(w, v)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	s.mu.Lock()
	p := s.livePendingLocked()
	instance := s.integ.InstanceURL
	s.mu.Unlock()
	if p == nil || state == "" || state != p.state {
		renderLogin(w, http.StatusBadRequest, loginView{Message: "This authorization link is invalid, superseded or expired. Request a new one in Customer Education."})
		return
	}
	renderLogin(w, http.StatusOK, loginView{State: state, Instance: instance})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderLogin(w, http.StatusBadRequest, loginView{Message: "The form could not be read."})
		return
	}
	state, username := r.PostForm.Get("state"), r.PostForm.Get("username")
	if state == "" {
		renderLogin(w, http.StatusBadRequest, loginView{Message: "The authorization state is missing."})
		return
	}
	s.mu.Lock()
	err := s.approveLocked(state, username)
	s.mu.Unlock()
	if err != nil {
		renderLogin(w, http.StatusBadRequest, loginView{Message: err.Error()})
		return
	}
	renderLogin(w, http.StatusOK, loginView{Message: "Access granted to " + username + ". Customer Education is connected; you can close this window."})
}
