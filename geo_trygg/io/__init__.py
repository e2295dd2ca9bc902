"""Readers: findings, events and areas from files into canonical GeoDataFrames."""
