// Package assets resolves the Secret and ConfigMap keys that monitoring
// objects reference. A reference resolves only in the referring object's
// own namespace: the caller passes that namespace, never the one a user
// wrote, so no object can read another namespace's secrets.
package assets
