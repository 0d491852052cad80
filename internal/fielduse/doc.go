// Package fielduse keeps Vigil's promise that no field is accepted and then
// ignored. fields.yaml says, for every spec field of every CRD in
// config/crd/bases, which code reads it: a function of this repository, or
// the operator issue that will build the StatefulSet a pod-shaping field
// goes into, or, listed as such, a field nothing reads yet.
//
// The package's test keeps the table true: it fails when a CRD field has
// no entry, when an entry names a field that no longer exists, and when a
// function an entry names does not exist or does not mention the field.
// An entry covers its field and everything under it; the longest entry
// that covers a field is the one that counts.
package fielduse
