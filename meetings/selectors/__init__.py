"""Reads of the meetings module: ``lists`` (the meetings and study sessions in the user's scope, a
meeting's sheets and rows), ``compliance`` (the rules' blocks and who met in them), ``figures``
(grouped counts for the statistics service) and ``alerts`` (the attention hub's sections)."""
