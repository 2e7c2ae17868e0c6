"""What the benchmark reports (jobs/*_report.py) share: a median with its range."""
import statistics


def spread(vals, fmt="{:,.0f}"):
    """The median of the values, with their range in brackets when there is more than one."""
    vals = list(vals)
    m = statistics.median(vals)
    return fmt.format(m) if len(vals) == 1 else f"{fmt.format(m)} ({fmt.format(min(vals))}–{fmt.format(max(vals))})"
