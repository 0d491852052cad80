// Package inventory loads the objects Vigil works from out of manifest files
// (for vigilctl, which needs no cluster): Namespaces, Secrets, ConfigMaps
// and every monitoring.coreos.com kind. Each document is decoded strictly;
// a document that does not decode is recorded as a Problem with its file,
// kind, namespace and name, and loading goes on with the rest. Documents of
// other kinds (Deployments, Services, ...) are skipped, so a chart's whole
// output can be given.
package inventory
