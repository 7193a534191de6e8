#!/usr/bin/python3
"""Reference values for citydip's network analytics, computed with networkx (Debian's
python3-networkx 2.8 and python3-scipy). Run offline; the outputs are committed next to this script
and read by tests/unit/analytics/network/reference_test.cpp.

    /usr/bin/python3 tests/reference/network/make_reference.py [GRAPH ...]

GRAPH is one of: karate, synthetic, twinning (default: all).

Inputs (CSV edge lists, columns city_a,country_a,city_b,country_b[,...], the format of
`citydip network export --format csv`):
  karate_edges.csv     Zachary's karate club (W. W. Zachary, J. Anthropol. Res. 33 (1977) 452-473),
                       the 34-node, 78-edge copy shipped in networkx (karate_club_graph); written by
                       this script when missing, weights dropped.
  synthetic_edges.csv  SYNTHETIC: a ring of 6 cliques of 5 nodes joined by single edges, plus a
                       separate path of 4 nodes and an isolated node (tests normalization on a
                       disconnected graph); written by this script.
  twinning_edges.csv   the twin-town network citydip builds from data/twinning/*.tsv (Wikidata P190),
                       exported by `citydip network export --format csv` from a registry holding only
                       that import (see README.md).
Outputs per GRAPH:
  GRAPH_nodes.tsv      name, country, degree, betweenness (normalized), eigenvector, louvain
                       community (networkx louvain_communities, seed 1)
  GRAPH_summary.json   node/edge/component counts, the leading eigenvalue, modularity of networkx's
                       Louvain partitions for seeds 1..5 and of greedy modularity communities.
"""
import csv
import json
import os
import sys

import networkx as nx
import numpy as np
import scipy.sparse.linalg

HERE = os.path.dirname(os.path.abspath(__file__))


def node_id(name, country):
    return name + "\t" + country


def write_karate(path):
    graph = nx.karate_club_graph()
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["city_a", "country_a", "city_b", "country_b"])
        for a, b in sorted(graph.edges()):
            writer.writerow(["member %d" % a, "KAR", "member %d" % b, "KAR"])
        # every member has a tie: no isolated nodes to list


def write_synthetic(path):
    """SYNTHETIC test graph: ring of 6 five-cliques, a 4-path, an isolated node."""
    rows = []
    cliques, size = 6, 5
    for c in range(cliques):
        members = ["c%d-%d" % (c, i) for i in range(size)]
        for i in range(size):
            for j in range(i + 1, size):
                rows.append((members[i], "SYN", members[j], "SYN"))
        nxt = (c + 1) % cliques
        rows.append(("c%d-0" % c, "SYN", "c%d-1" % nxt, "SYN"))
    for i in range(3):
        rows.append(("p%d" % i, "PTH", "p%d" % (i + 1), "PTH"))
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["city_a", "country_a", "city_b", "country_b"])
        writer.writerows(rows)
    # the isolated node is listed in synthetic_isolated.csv
    with open(os.path.join(HERE, "synthetic_isolated.csv"), "w", newline="",
              encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "country"])
        writer.writerow(["alone", "ISO"])


def read_graph(name):
    graph = nx.Graph()
    with open(os.path.join(HERE, name + "_edges.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            graph.add_edge(node_id(row["city_a"], row["country_a"]),
                           node_id(row["city_b"], row["country_b"]))
    isolated = os.path.join(HERE, name + "_isolated.csv")
    if os.path.exists(isolated):
        with open(isolated, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                graph.add_node(node_id(row["name"], row["country"]))
    return graph


def leading_eigenvector(graph):
    """networkx's eigenvector_centrality_numpy (ARPACK on the adjacency matrix), returned with
    the eigenvalue too."""
    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, dtype=float)
    values, vectors = scipy.sparse.linalg.eigs(matrix.T, k=1, which="LR", maxiter=1000, tol=0)
    vector = vectors.flatten().real
    norm = np.sign(vector.sum()) * np.linalg.norm(vector)
    return dict(zip(nodes, (vector / norm).tolist())), float(values[0].real)


def reference(name):
    graph = read_graph(name)
    print("%s: %d nodes, %d edges" % (name, graph.number_of_nodes(), graph.number_of_edges()),
          file=sys.stderr)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    eigenvector, eigenvalue = leading_eigenvector(graph)
    numpy_version = nx.eigenvector_centrality_numpy(graph)
    assert max(abs(numpy_version[v] - eigenvector[v]) for v in graph) < 1e-8
    louvain = {}
    partition_seed1 = None
    for seed in range(1, 6):
        communities = nx.community.louvain_communities(graph, weight=None, seed=seed)
        louvain[str(seed)] = nx.community.modularity(graph, communities, weight=None)
        if seed == 1:
            partition_seed1 = communities
    greedy = nx.community.greedy_modularity_communities(graph, weight=None)
    community_of = {}
    for index, members in enumerate(sorted(partition_seed1, key=lambda c: (-len(c), min(c)))):
        for member in members:
            community_of[member] = index
    with open(os.path.join(HERE, name + "_nodes.tsv"), "w", encoding="utf-8") as out:
        out.write("name\tcountry\tdegree\tbetweenness\teigenvector\tlouvain_community\n")
        for node in sorted(graph):
            city, country = node.split("\t")
            out.write("%s\t%s\t%d\t%.17g\t%.17g\t%d\n" % (
                city, country, graph.degree(node), betweenness[node], eigenvector[node],
                community_of[node]))
    components = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    summary = {
        "graph": name,
        "networkx": nx.__version__,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "components": len(components),
        "largest_component": components[0] if components else 0,
        "eigenvalue": eigenvalue,
        "louvain_modularity_by_seed": louvain,
        "louvain_communities_seed1": len(partition_seed1),
        "greedy_modularity": nx.community.modularity(graph, greedy, weight=None),
        "greedy_communities": len(greedy),
    }
    with open(os.path.join(HERE, name + "_summary.json"), "w", encoding="utf-8") as out:
        json.dump(summary, out, indent=2, sort_keys=True)
        out.write("\n")


def main():
    names = sys.argv[1:] or ["karate", "synthetic", "twinning"]
    for name in names:
        path = os.path.join(HERE, name + "_edges.csv")
        if name == "karate" and not os.path.exists(path):
            write_karate(path)
        if name == "synthetic" and not os.path.exists(path):
            write_synthetic(path)
        if not os.path.exists(path):
            sys.exit("missing %s (see the docstring for how to make it)" % path)
        reference(name)


if __name__ == "__main__":
    main()
