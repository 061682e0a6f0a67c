"""Plain-text tables, as the command line, the benchmarks and the examples print them."""


def format_table(header, rows, title=None):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    lines = [title] if title else []
    lines.append("  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def print_table(title, header, rows):
    print("\n" + format_table(header, rows, title))
