"""Documents of membership transfers: the 介绍信 (存根, letter and 回执 on one A4 page)."""
