"""Graph plumbing shared by the NIR reader and the reference simulator:
flattening subgraphs, finding cycles, the step `dt`."""

from snnzoo import validation

#: The step snnTorch's importer and exporter assume (`dt = 1e-4`).
SNNTORCH_DT = 1e-4


def graph_dt(graph, dt=None):
    """`dt` if given, else the graph's `metadata["dt"]` (snnzoo writes it),
    else snnTorch's fixed 1e-4."""
    if dt is None:
        dt = (getattr(graph, "metadata", None) or {}).get("dt", SNNTORCH_DT)
    return validation.number(float(dt), "dt", 0.0, low_open=True)


def io_names(graph):
    """`(input key, output key)` of a (sub)graph with one of each."""
    import nir

    ins = [k for k, n in graph.nodes.items() if isinstance(n, nir.Input)]
    outs = [k for k, n in graph.nodes.items() if isinstance(n, nir.Output)]
    if len(ins) != 1 or len(outs) != 1:
        raise ValueError(f"`graph`: expected one Input and one Output node per (sub)graph; "
                         f"got inputs {ins} and outputs {outs}.")
    return ins[0], outs[0]


def flatten(graph, prefix=""):
    """`(nodes, edges)` with every subgraph inlined; inner names are
    `outer/inner`, and a subgraph's Input/Output stay as pass-through nodes."""
    import nir

    nodes, edges = {}, []
    ends = {}
    for key, node in graph.nodes.items():
        name = prefix + key
        if isinstance(node, nir.NIRGraph):
            inner_nodes, inner_edges = flatten(node, name + "/")
            nodes.update(inner_nodes)
            edges += inner_edges
            i, o = io_names(node)
            ends[key] = (f"{name}/{i}", f"{name}/{o}")
        else:
            nodes[name] = node
            ends[key] = (name, name)
    for src, dst in graph.edges:
        edges.append((ends[src][1], ends[dst][0]))
    return nodes, edges


def schedule(nodes, edges):
    """`(order, delayed)`: an evaluation order of `nodes`, and the edges that
    close cycles (found depth-first from the sources), which carry the
    previous step's value."""
    succ = {n: [] for n in nodes}
    for s, d in edges:
        succ[s].append(d)
    roots = [n for n in nodes if not any(d == n for _, d in edges)] or list(nodes)[:1]
    state, delayed, post = {}, set(), []
    for root in roots:
        _dfs(root, succ, state, delayed, post)
    for n in nodes:  # unreachable from a source: a pure cycle
        _dfs(n, succ, state, delayed, post)
    return post[::-1], delayed


def _dfs(root, succ, state, delayed, post):
    if root in state:
        return
    stack = [(root, iter(succ[root]))]
    state[root] = "open"
    while stack:
        node, it = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            stack.pop()
            state[node] = "done"
            post.append(node)
        elif state.get(nxt) == "open":
            delayed.add((node, nxt))
        elif nxt not in state:
            state[nxt] = "open"
            stack.append((nxt, iter(succ[nxt])))


def output_name(nodes):
    """The top-level Output node of a flattened graph."""
    import nir

    tops = [k for k, n in nodes.items() if isinstance(n, nir.Output) and "/" not in k]
    if len(tops) != 1:
        raise ValueError(f"`graph`: expected one top-level Output node; got {tops}.")
    return tops[0]


def top_output(graph, name):
    """Flattened name of the value of top-level node `name`."""
    import nir

    if name not in graph.nodes:
        validation.fail("record", f"node names of the graph ({', '.join(graph.nodes)})", name)
    node = graph.nodes[name]
    if isinstance(node, nir.NIRGraph):
        return f"{name}/{io_names(node)[1]}"
    return name
