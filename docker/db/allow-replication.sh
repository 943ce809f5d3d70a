#!/bin/sh
# Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d): lets the
# `replica` service of docker-compose.yml stream from this server. Replication connections match only
# `replication` lines of pg_hba.conf. An existing volume needs the line added by hand (docs/scaling.md).
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
