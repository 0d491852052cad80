package promconfig

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"
)

const relabelConfigsKey = "relabel_configs"

// shardAdditional gives each job of additionalScrapeConfigs the sharding
// rules when there is more than one shard, so that each shard scrapes its
// part of the targets instead of every shard scraping them all. It does
// what Prometheus Operator does (pkg/prometheus/promcfg.go:2689-2735 and
// 2278-2290): a job whose relabel_configs already has a rule with action
// "hashmod" (written so, in lower case) shards itself and gets no rules;
// the others get them after their own. Either way relabel_configs moves
// after the job's other keys, as there.
func shardAdditional(jobs []yaml.Node, shards int32) ([]yaml.Node, error) {
	if shards <= 1 {
		return jobs, nil
	}
	out := make([]yaml.Node, len(jobs))
	for i := range jobs {
		j, err := shardAdditionalJob(&jobs[i], shards)
		if err != nil {
			return nil, fmt.Errorf("additionalScrapeConfigs[%d]: %w", i, err)
		}
		out[i] = *j
	}
	return out, nil
}

// shardAdditionalJob returns job with the sharding rules. It builds new
// nodes rather than changing job's, which an alias elsewhere may share.
func shardAdditionalJob(job *yaml.Node, shards int32) (*yaml.Node, error) {
	job = resolveAlias(job)
	if job.Kind != yaml.MappingNode {
		return nil, errors.New("a scrape config is not a mapping")
	}
	var rules []*yaml.Node
	var anchor string
	others := make([]*yaml.Node, 0, len(job.Content))
	for i := 0; i+1 < len(job.Content); i += 2 {
		k, v := job.Content[i], job.Content[i+1]
		if k.Value != relabelConfigsKey {
			others = append(others, k, v)
			continue
		}
		// An anchor on the list stays defined where it was, for the
		// aliases that follow.
		if v.Kind != yaml.AliasNode {
			anchor = v.Anchor
		}
		v = resolveAlias(v)
		if v.Kind != yaml.SequenceNode {
			return nil, errors.New("relabel_configs is not a list")
		}
		for _, r := range v.Content {
			if resolveAlias(r).Kind != yaml.MappingNode {
				return nil, errors.New("a relabel config is not a mapping")
			}
		}
		rules = v.Content
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Anchor: anchor, Content: append([]*yaml.Node{}, rules...)}
	if !hasHashmod(rules) {
		var sharding yaml.Node
		if err := sharding.Encode(shardingRules(shards, "__address__")); err != nil {
			return nil, fmt.Errorf("encoding the sharding rules: %w", err)
		}
		seq.Content = append(seq.Content, sharding.Content...)
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: relabelConfigsKey}
	out := *job
	out.Content = append(others, key, seq)
	return &out, nil
}

// hasHashmod says whether a rule has action: hashmod, compared as Prometheus
// Operator compares it: exactly, so HashMod does not count.
func hasHashmod(rules []*yaml.Node) bool {
	for _, r := range rules {
		r = resolveAlias(r)
		for i := 0; i+1 < len(r.Content); i += 2 {
			k, v := r.Content[i], resolveAlias(r.Content[i+1])
			if k.Value == "action" && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value == "hashmod" {
				return true
			}
		}
	}
	return false
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}
