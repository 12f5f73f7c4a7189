"""Pages of membership transfers: the lists and a transfer's page with its moves (``requests``), the 介绍信's PDF
(``documents``)."""
