"""The open data API: published content of every PCN, read-only JSON under /api/v1/.

`base` holds what every list shares (no sign-in, JSON only, cursor pagination, strict query
parameters, caching, a rate limit), `filters` each list's FilterSet, `serializers` what each
record holds, `selectors` what is read, `views` the lists, `docs` the OpenAPI document and the
page that explains it, `urls` the addresses. README, "Open data API".
"""
