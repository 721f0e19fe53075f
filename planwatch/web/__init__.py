"""The web application: member units fill in and submit, the office reviews, everyone sees progress.

Built on the planwatch library; nothing in the core (plan, catalogue, collect, assess, store)
imports this package. :func:`planwatch.web.app.create_app` makes the ASGI application.
"""
