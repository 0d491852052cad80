// Package assets resolves the Secret and ConfigMap keys that monitoring
// objects reference. A reference resolves only in the referring object's
// own namespace: the caller passes that namespace, never the one a user
// wrote, so no object can read another namespace's secrets.
//
// It also checks the values Prometheus and Alertmanager would only trip on
// when they connect (TLS material that is not PEM, a certificate without
// its key, a proxy URL the HTTP client cannot use), so that the generators
// can leave the object out with a reason instead.
package assets
