"""Delivery: VAPID keys, push subscriptions, reminders, the notification outbox, the worker."""
