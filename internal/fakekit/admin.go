package fakekit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

type bufioReadWriter = bufio.ReadWriter

func readAndRestore(rc io.ReadCloser) (string, io.ReadCloser) {
	b, _ := io.ReadAll(rc)
	_ = rc.Close()
	return string(b), io.NopCloser(bytes.NewReader(b))
}

// AdminHandler serves the kit's part of a fake's admin interface, so the
// emulator and `make demo` can drive faults and read counters with curl:
//
//	GET    {prefix}/requests   the request log
//	GET    {prefix}/counters   {"endpoints":{...},"billable":N}
//	DELETE {prefix}/counters   reset log and counters
//	POST   {prefix}/faults     add a Rule (JSON)
//	DELETE {prefix}/faults     clear rules and latency
//	PUT    {prefix}/latency    {"latency":"50ms"}
func (k *Kit) AdminHandler(prefix string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"/requests", func(w http.ResponseWriter, _ *http.Request) {
		WriteJSON(w, http.StatusOK, k.Requests())
	})
	mux.HandleFunc("GET "+prefix+"/counters", func(w http.ResponseWriter, _ *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]any{"endpoints": k.Counters(), "billable": k.BillableCalls()})
	})
	mux.HandleFunc("DELETE "+prefix+"/counters", func(w http.ResponseWriter, _ *http.Request) {
		k.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST "+prefix+"/faults", func(w http.ResponseWriter, r *http.Request) {
		var rule struct {
			Rule
			Latency string `json:"latency,omitempty"`
		}
		if err := json.NewDecoder(r.Body).Decode(&rule); err != nil {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		if rule.Latency != "" {
			d, err := parseDuration(rule.Latency)
			if err != nil {
				WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
			rule.Rule.Latency = d
		}
		k.AddRule(rule.Rule)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE "+prefix+"/faults", func(w http.ResponseWriter, _ *http.Request) {
		k.ClearRules()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("PUT "+prefix+"/latency", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Latency string `json:"latency"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		d, err := parseDuration(body.Latency)
		if err != nil {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		k.SetLatency(d)
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func parseDuration(s string) (time.Duration, error) { return time.ParseDuration(s) }
