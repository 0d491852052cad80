// Package controllers holds Vigil's reconcilers: one per owning kind
// (Prometheus, Alertmanager). They are thin: read the objects from the
// caches, call internal/pipeline, write what it returns when it differs
// from what is there, and say what happened in status, bindings and
// Events. They never format configuration themselves.
//
// Secrets and ConfigMaps are never cached in full: the manager watches
// their metadata only, and the values the pipeline asks for are read with
// direct GETs of exactly the keys it reports (Values). A change to one of
// them enqueues only the owners that read it (References). StatefulSets,
// Services, Roles, RoleBindings, Endpoints and EndpointSlices are cached
// only when labelled as Vigil's (NewManager).
package controllers
