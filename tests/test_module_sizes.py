"""Small modules and functions (issue 22): no function over 80 lines; no module over ~400 without its reason."""

import ast

from analysis import paths

MAX_FUNCTION = 80
MAX_MODULE = 420  # "~400": the formatter's one-argument-per-line layout moves a module by a few lines
REASON = "Why one module of over 400 lines:"


def _modules():
    return sorted((paths.ROOT / "analysis").rglob("*.py"))


def test_no_function_is_over_80_lines():
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION:
                    long.append(f"{path.relative_to(paths.ROOT)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, "split these functions:\n" + "\n".join(long)


def test_a_module_over_400_lines_states_why_in_its_docstring():
    unexplained = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE and REASON not in (ast.get_docstring(ast.parse(text)) or ""):
            unexplained.append(f"{path.relative_to(paths.ROOT)} ({lines} lines)")
    assert not unexplained, f"split these modules, or say why not ('{REASON} …'):\n" + "\n".join(unexplained)


def test_the_check_sees_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION))
    tree = ast.parse(f"def f():\n{body}\n")
    (node,) = tree.body
    assert node.end_lineno - node.lineno + 1 > MAX_FUNCTION
