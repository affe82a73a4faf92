//! Moving a whole database into a new PostgreSQL one (`hromada-server migrate --from …
//! --to …`), for a hromada that started on the embedded SQLite file and outgrew it.
//!
//! Both databases are first brought to this version's schema. The target must be empty:
//! nothing but the communities and the counters its migrations made. Then every table is
//! copied in one transaction of its own, parents before the tables that refer to them,
//! and the rows of each table are counted on both sides at the end.

use std::collections::{BTreeMap, BTreeSet};

use futures::TryStreamExt;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Db};

/// Tables a fresh target may already hold rows in (the communities, loaded at a server's
/// start, and the counter of live events its migration made): replaced by the source's.
const REPLACED: [&str; 2] = ["hromadas", "live_seq"];
/// Kept by each database itself (both were migrated by this version).
const SKIPPED: [&str; 1] = ["schema_migrations"];
/// Most values bound in one statement (PostgreSQL allows 65,535).
const MAX_PARAMS: usize = 30_000;

/// How many rows one table has on each side once moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub source: i64,
    pub target: i64,
}

/// Why a move stopped.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the target must be a PostgreSQL database (postgres://…)")]
    TargetNotPostgres,
    #[error(
        "the target is not empty (table {0} has rows): move into a new, empty database that no server has used"
    )]
    NotEmpty(String),
    #[error("table {table}: column {column} has a type this tool does not copy ({kind})")]
    UnknownType {
        table: String,
        column: String,
        kind: String,
    },
    #[error("table {table}: {rows_source} rows in the source but {rows_target} in the target")]
    CountsDiffer {
        table: String,
        rows_source: i64,
        rows_target: i64,
    },
}

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Integer,
    Float,
    Bytes,
}

/// A table to copy: its columns and their kinds.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
}

/// Copies everything in `from` into the empty PostgreSQL database `to` (see the module's
/// documentation); `progress` hears of each table once it is copied. Returns the counts of
/// every table.
pub async fn transfer(
    from: &Db,
    to: &Db,
    mut progress: impl FnMut(&TableCount),
) -> Result<Vec<TableCount>, TransferError> {
    if to.backend() != Backend::Postgres {
        return Err(TransferError::TargetNotPostgres);
    }
    from.migrate().await?;
    to.migrate().await?;
    let tables = to.tables_in_order().await?;
    for t in &tables {
        if !REPLACED.contains(&t.name.as_str()) && to.count_rows(&t.name).await? > 0 {
            return Err(TransferError::NotEmpty(t.name.clone()));
        }
    }
    let mut counts = Vec::new();
    for t in &tables {
        copy_table(from, to, t).await?;
        let count = TableCount {
            table: t.name.clone(),
            source: from.count_rows(&t.name).await?,
            target: to.count_rows(&t.name).await?,
        };
        progress(&count);
        counts.push(count);
    }
    for c in &counts {
        if c.source != c.target {
            return Err(TransferError::CountsDiffer {
                table: c.table.clone(),
                rows_source: c.source,
                rows_target: c.target,
            });
        }
    }
    Ok(counts)
}

/// Copies one table in one transaction of the target.
async fn copy_table(from: &Db, to: &Db, t: &Table) -> Result<(), TransferError> {
    let names: Vec<&str> = t.columns.iter().map(|(c, _)| c.as_str()).collect();
    let select = format!("SELECT {} FROM {}", names.join(", "), t.name);
    let per_batch = (MAX_PARAMS / t.columns.len().max(1)).max(1);
    let mut tx = to.pool.begin().await?;
    if REPLACED.contains(&t.name.as_str()) {
        sqlx::query(&format!("DELETE FROM {}", t.name))
            .execute(&mut *tx)
            .await?;
    }
    let mut rows = sqlx::query(&select).fetch(&from.pool);
    let mut batch: Vec<AnyRow> = Vec::with_capacity(per_batch);
    while let Some(row) = rows.try_next().await? {
        batch.push(row);
        if batch.len() == per_batch {
            insert_rows(&mut tx, t, &names, &batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        insert_rows(&mut tx, t, &names, &batch).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One multi-row INSERT of `rows` (read with the columns of `t`, in order).
async fn insert_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    t: &Table,
    names: &[&str],
    rows: &[AnyRow],
) -> Result<(), sqlx::Error> {
    let width = names.len();
    let mut sql = format!("INSERT INTO {} ({}) VALUES ", t.name, names.join(", "));
    for r in 0..rows.len() {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("${}", r * width + c + 1));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for row in rows {
        for (i, (_, kind)) in t.columns.iter().enumerate() {
            q = match kind {
                Kind::Text => q.bind(row.try_get::<Option<String>, _>(i)?),
                Kind::Integer => q.bind(row.try_get::<Option<i64>, _>(i)?),
                Kind::Float => q.bind(row.try_get::<Option<f64>, _>(i)?),
                Kind::Bytes => q.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
            };
        }
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

impl Db {
    /// How many rows `table` has (a name from the schema, never from input).
    async fn count_rows(&self, table: &str) -> Result<i64, sqlx::Error> {
        sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)
    }

    /// The tables of this PostgreSQL database with their columns, every table after the
    /// tables it refers to.
    async fn tables_in_order(&self) -> Result<Vec<Table>, TransferError> {
        let columns = sqlx::query(
            "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS k \
             FROM information_schema.columns c JOIN information_schema.tables USING (table_schema, table_name) \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             ORDER BY table_name, ordinal_position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut tables: BTreeMap<String, Vec<(String, Kind)>> = BTreeMap::new();
        for r in &columns {
            let (table, column, kind): (String, String, String) =
                (r.try_get("t")?, r.try_get("c")?, r.try_get("k")?);
            if SKIPPED.contains(&table.as_str()) {
                continue;
            }
            let k = match kind.as_str() {
                "text" | "character varying" => Kind::Text,
                "bigint" | "integer" | "smallint" => Kind::Integer,
                "double precision" | "real" => Kind::Float,
                "bytea" => Kind::Bytes,
                _ => {
                    return Err(TransferError::UnknownType {
                        table,
                        column,
                        kind,
                    });
                }
            };
            tables.entry(table).or_default().push((column, k));
        }
        let refs = sqlx::query(
            "SELECT c.relname::text AS child, p.relname::text AS parent FROM pg_constraint k \
             JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
             WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in &refs {
            let (child, parent): (String, String) = (r.try_get("child")?, r.try_get("parent")?);
            if child != parent {
                parents.entry(child).or_default().insert(parent);
            }
        }
        Ok(order(tables, &parents)
            .into_iter()
            .map(|(name, columns)| Table { name, columns })
            .collect())
    }
}

/// The tables, each after its parents (by name among equals, so the order is stable).
fn order<T>(
    mut tables: BTreeMap<String, T>,
    parents: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<(String, T)> {
    let mut out: Vec<(String, T)> = Vec::new();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    while !tables.is_empty() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|t| {
                parents.get(*t).is_none_or(|ps| {
                    ps.iter()
                        .all(|p| placed.contains(p) || !tables.contains_key(p))
                })
            })
            .cloned()
            .collect();
        // A cycle (none in this schema) would leave nothing ready: take the rest as is.
        let next = if ready.is_empty() {
            tables.keys().cloned().collect()
        } else {
            ready
        };
        for name in next {
            if let Some(v) = tables.remove(&name) {
                placed.insert(name.clone());
                out.push((name, v));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first() {
        let tables: BTreeMap<String, ()> = ["appeals", "files", "hromadas", "users"]
            .into_iter()
            .map(|t| (t.to_owned(), ()))
            .collect();
        let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        parents.insert("files".into(), ["appeals".into()].into());
        parents.insert("appeals".into(), ["users".into(), "hromadas".into()].into());
        parents.insert("users".into(), ["hromadas".into()].into());
        let names: Vec<String> = order(tables, &parents)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["hromadas", "users", "appeals", "files"]);
    }
}
