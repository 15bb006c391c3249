"""The extraction pipeline: normalize -> sentences -> quantities -> metric -> region -> period -> topic."""
