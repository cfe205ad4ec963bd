package sfapi

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// The Metadata API speaks SOAP 1.1 at /services/Soap/m/<version>: a POST of
// an envelope whose SessionHeader carries the session id (the OAuth access
// token), body elements in the metadata namespace. Faults come back with
// HTTP 500 and a <soapenv:Fault> holding faultcode ("sf:INVALID_SESSION_ID")
// and faultstring. (Metadata API Developer Guide: "SOAP Headers for Metadata
// API", "Error Handling for Metadata API Calls"; salesforce-api.md §4.)
const (
	metadataNS = "http://soap.sforce.com/2006/04/metadata"
	soapEnvNS  = "http://schemas.xmlsoap.org/soap/envelope/"
	xsiNS      = "http://www.w3.org/2001/XMLSchema-instance"
)

// maxSOAPBody bounds a Metadata API response; a layout is tens of kilobytes.
const maxSOAPBody = 32 << 20

// xmlWriter builds a request with encoding/xml's encoder. raw splices in
// bytes that are already well-formed XML (content read from Salesforce and
// sent back unchanged), which the encoder has no token for.
type xmlWriter struct {
	buf bytes.Buffer
	enc *xml.Encoder
	err error
}

func newXMLWriter() *xmlWriter {
	w := &xmlWriter{}
	w.enc = xml.NewEncoder(&w.buf)
	return w
}

func (w *xmlWriter) token(t xml.Token) {
	if w.err == nil {
		w.err = w.enc.EncodeToken(t)
	}
}

// start opens an element; name may carry a prefix ("soapenv:Body") whose
// declaration the caller writes as an "xmlns:soapenv" attribute.
func (w *xmlWriter) start(name string, attrs ...xml.Attr) {
	w.token(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
}

func (w *xmlWriter) end(name string) { w.token(xml.EndElement{Name: xml.Name{Local: name}}) }

// text writes <name>s</name>, escaped by the encoder.
func (w *xmlWriter) text(name, s string, attrs ...xml.Attr) {
	w.start(name, attrs...)
	w.token(xml.CharData(s))
	w.end(name)
}

func (w *xmlWriter) raw(b []byte) {
	if w.err == nil {
		w.err = w.enc.Flush()
	}
	if w.err == nil {
		w.buf.Write(b)
	}
}

func (w *xmlWriter) bytes() ([]byte, error) {
	if w.err == nil {
		w.err = w.enc.Flush()
	}
	return w.buf.Bytes(), w.err
}

func attr(name, value string) xml.Attr { return xml.Attr{Name: xml.Name{Local: name}, Value: value} }

// metadataEnvelope wraps one call's body element in an envelope with the
// session header.
func metadataEnvelope(sessionID string, body func(w *xmlWriter)) ([]byte, error) {
	w := newXMLWriter()
	w.raw([]byte(xml.Header))
	w.start("soapenv:Envelope", attr("xmlns:soapenv", soapEnvNS), attr("xmlns:xsi", xsiNS))
	w.start("soapenv:Header")
	w.start("SessionHeader", attr("xmlns", metadataNS))
	w.text("sessionId", sessionID)
	w.end("SessionHeader")
	w.end("soapenv:Header")
	w.start("soapenv:Body")
	body(w)
	w.end("soapenv:Body")
	w.end("soapenv:Envelope")
	return w.bytes()
}

// soapFault is the Body's Fault element.
type soapFault struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
}

func parseSOAPFault(body []byte) *soapFault {
	var env struct {
		Body struct {
			Fault *soapFault `xml:"Fault"`
		} `xml:"Body"`
	}
	if err := xml.Unmarshal(body, &env); err != nil || env.Body.Fault == nil || env.Body.Fault.Code == "" {
		return nil
	}
	return env.Body.Fault
}

// apiError maps a fault to the typed error REST calls give: faultcode
// without its prefix is the errorCode ("sf:INVALID_SESSION_ID" →
// INVALID_SESSION_ID), and the faultstring's repeated "CODE: " is dropped.
func (f *soapFault) apiError(status int) *APIError {
	code := f.Code
	if i := strings.LastIndexByte(code, ':'); i >= 0 {
		code = code[i+1:]
	}
	msg := strings.TrimSpace(strings.TrimPrefix(f.String, code+":"))
	return &APIError{Status: status, ErrorCode: code, Message: msg}
}

// soapCall posts one Metadata API call and returns the body of its HTTP 200
// answer. Like do: the session comes from token(), a rejected session
// (fault sf:INVALID_SESSION_ID) gets a new sign-in and the call is sent
// again, and any other fault becomes an *APIError. body writes the call's
// element (such as <readMetadata>) and is run again for each sign-in,
// because the envelope carries the session.
func (c *Client) soapCall(ctx context.Context, call string, body func(w *xmlWriter)) ([]byte, error) {
	path := "/services/Soap/m/" + c.cfg.APIVersion
	for reauths := 0; ; reauths++ {
		tok, err := c.token(ctx)
		if err != nil {
			return nil, err
		}
		base := tok.instanceURL
		if base == "" {
			if base, err = c.InstanceURL(ctx); err != nil {
				return nil, err
			}
		}
		payload, err := metadataEnvelope(tok.access, body)
		if err != nil {
			return nil, fmt.Errorf("%s: encode request: %w", call, err)
		}
		resp, st, err := c.sendSOAP(ctx, base+path, payload)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return nil, st.Final(fmt.Errorf("%s (POST %s) failed after %d attempt(s): %w", call, path, st.Attempt()+1, err))
		}
		data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxSOAPBody))
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			if readErr != nil {
				return nil, fmt.Errorf("%s: read response: %w", call, readErr)
			}
			return data, nil
		}
		f := parseSOAPFault(data)
		if f == nil {
			return nil, st.Final(fmt.Errorf("%s (POST %s): %w", call, path, parseAPIError(resp.StatusCode, data, true)))
		}
		ae := f.apiError(resp.StatusCode)
		if ae.ErrorCode == "INVALID_SESSION_ID" {
			if c.method == AuthAccessToken {
				return nil, fmt.Errorf("%s: Salesforce rejected the configured access token, which has probably expired; "+
					"supply a fresh access_token, or configure JWT bearer or client credentials so the provider can obtain tokens itself: %w",
					call, ae)
			}
			if reauths < maxReauthentications {
				c.invalidate(tok)
				c.logf(ctx, "debug", "Salesforce session invalid; re-authenticating", map[string]any{"call": call, "path": path, "attempt": reauths + 1})
				continue
			}
		}
		return nil, st.Final(fmt.Errorf("%s: %w", call, ae))
	}
}

// sendSOAP is send for an XML body. Both calls this package makes are safe
// to repeat (readMetadata reads; updateMetadata sends the whole layout, so
// a second delivery writes the same thing), so they retry like a PATCH.
func (c *Client) sendSOAP(ctx context.Context, target string, payload []byte) (*http.Response, *httpkit.Request, error) {
	st := &httpkit.Request{Class: httpkit.Idempotent, Method: http.MethodPost}
	req, err := retryablehttp.NewRequestWithContext(httpkit.WithRequest(ctx, st), http.MethodPost, target, payload)
	if err != nil {
		return nil, st, err
	}
	st.Path = req.URL.Path
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("Accept", "text/xml")
	req.Header.Set("SOAPAction", `""`)
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	rc := &retryablehttp.Client{
		HTTPClient:      c.rc.HTTPClient,
		RetryWaitMin:    c.rc.RetryWaitMin,
		RetryWaitMax:    c.rc.RetryWaitMax,
		RetryMax:        c.rc.RetryMax,
		CheckRetry:      c.soapCheckRetry,
		Backoff:         c.rc.Backoff,
		RequestLogHook:  c.rc.RequestLogHook,
		ResponseLogHook: c.rc.ResponseLogHook,
		ErrorHandler:    retryablehttp.PassthroughErrorHandler,
	}
	resp, err := rc.Do(req)
	if err != nil && resp != nil {
		resp.Body.Close()
		resp = nil
	}
	return resp, st, err
}

// soapCheckRetry applies the REST retry policy to SOAP answers. A fault is
// an answer, not a transient failure, although it arrives as HTTP 500: it is
// not repeated (INVALID_SESSION_ID is handled by a new sign-in in soapCall),
// except REQUEST_LIMIT_EXCEEDED, which REST reports as 403 and the policy
// retries with backoff; here it is weighed as the rate limit it is.
func (c *Client) soapCheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err == nil && resp != nil && resp.StatusCode == http.StatusInternalServerError && resp.Body != nil {
		head, readErr := peekBody(resp)
		if f := parseSOAPFault(head); readErr == nil && f != nil {
			if f.apiError(0).ErrorCode != "REQUEST_LIMIT_EXCEEDED" {
				return false, ctx.Err()
			}
			limited := &http.Response{StatusCode: http.StatusTooManyRequests, Header: resp.Header, Request: resp.Request}
			return c.checkRetry(ctx, limited, nil)
		}
	}
	return c.checkRetry(ctx, resp, err)
}
