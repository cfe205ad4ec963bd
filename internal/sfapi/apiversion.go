package sfapi

// APIVersion returns the REST API version the client calls, such as "65.0"
// (the configured one, or DefaultAPIVersion).
func (c *Client) APIVersion() string { return c.cfg.APIVersion }
