// Package yamlnode works on YAML the user wrote (additionalScrapeConfigs,
// the Alertmanager configuration Secret) as a node tree, so that every
// scalar keeps its text (00123 stays 00123, 1.10 stays 1.10) when it is
// written back.
package yamlnode

import "go.yaml.in/yaml/v3"

// Resolve returns a copy of n that says what YAML says without anchors:
// every alias is replaced by a copy of what it refers to, and every merge
// key (<<) by the entries it brings in, at every depth. A mapping's own
// keys win over merged ones, and of merged ones the first source wins, as
// the YAML merge key specification says. Loaders then need no merge
// support of their own (Prometheus's and Alertmanager's, on yaml.v2,
// concatenate a merged list with an explicit one), and changing one part
// of the tree changes nothing else.
func Resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	c := *n
	c.Anchor = ""
	c.Content = make([]*yaml.Node, 0, len(n.Content))
	if n.Kind != yaml.MappingNode {
		for _, child := range n.Content {
			c.Content = append(c.Content, Resolve(child))
		}
		return &c
	}
	var merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			merged = append(merged, mergeSources(Resolve(v))...)
			continue
		}
		c.Content = append(c.Content, Resolve(k), Resolve(v))
	}
	has := map[string]bool{}
	for i := 0; i < len(c.Content); i += 2 {
		has[c.Content[i].Value] = true
	}
	for _, src := range merged {
		for i := 0; i+1 < len(src.Content); i += 2 {
			if k := src.Content[i]; !has[k.Value] {
				has[k.Value] = true
				c.Content = append(c.Content, k, src.Content[i+1])
			}
		}
	}
	return &c
}

// isMergeKey says whether k is "<<" read as a merge key: plain, untagged
// or tagged !!merge; a quoted "<<" is an ordinary key.
func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && (k.Tag == "!!merge" || k.Value == "<<" && k.Style == 0 && k.Tag == "")
}

// mergeSources are the mappings a merge key's value brings in, resolved:
// one mapping, or a list of them.
func mergeSources(v *yaml.Node) []*yaml.Node {
	switch v.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, e := range v.Content {
			if e.Kind == yaml.MappingNode {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}
