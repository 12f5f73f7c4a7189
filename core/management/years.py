"""The ``--years`` argument of the management commands: "2026-2027" or "2026,2027", read one way for all of them."""

from django.core.management.base import CommandError


def parse_year_list(text: str, example: str) -> set[int]:
    """Years named by ``text`` (ranges and commas); ``example`` is shown in the error for text that is not years."""
    years: set[int] = set()
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                low, high = (int(x) for x in part.split("-", 1))
                if low > high:
                    raise CommandError(f"年份范围“{part}”起止颠倒")
                years.update(range(low, high + 1))
            elif part:
                years.add(int(part))
    except ValueError:
        raise CommandError(f"无法识别年份“{text}”,应写成 {example}") from None
    return years
