"""AWS facts and helpers that rules share: IAM, services, scaling, shells, images, units."""
