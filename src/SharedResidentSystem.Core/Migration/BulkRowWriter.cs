using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Migration;

/// <summary>
/// Adds rows of one stored entity with one prepared INSERT over its mapped columns (owned
/// values included), each value as the model maps it (the column's converter applied). For
/// bulk work only — a migration import into an empty city — where the change tracker would
/// be the cost and nothing else needs to see the rows as entities.
/// </summary>
internal sealed class BulkRowWriter
{
    private readonly (Func<object, object?> Get, RelationalTypeMapping Mapping)[] _columns;
    private readonly string _sql;

    public BulkRowWriter(SrsDbContext db, IEntityType entity)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = new List<(IProperty Property, Func<object, object?> Get)>();
        foreach (var property in entity.GetProperties().Where(p => !p.IsShadowProperty()))
        {
            columns.Add((property, Getter(entity.ClrType, property.PropertyInfo!, null)));
        }
        foreach (var navigation in entity.GetNavigations().Where(n => n.TargetEntityType.IsOwned()))
        {
            foreach (var property in navigation.TargetEntityType.GetProperties().Where(p => !p.IsShadowProperty()))
            {
                columns.Add((property, Getter(entity.ClrType, navigation.PropertyInfo!, property.PropertyInfo!)));
            }
        }
        _columns = [.. columns.Select(c => (c.Get, c.Property.GetRelationalTypeMapping()))];
        _sql = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
    }

    /// <summary>Statements sent together where the engine takes batches (PostgreSQL); one at a time elsewhere (SQLite, in process).</summary>
    private const int BatchStatements = 100;

    /// <summary>Adds the rows in the connection's current transaction.</summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        if (connection.CanCreateBatch)
        {
            for (var start = 0; start < rows.Count; start += BatchStatements)
            {
                await using var batch = connection.CreateBatch();
                batch.Transaction = transaction;
                foreach (var row in rows.Skip(start).Take(BatchStatements))
                {
                    var command = batch.CreateBatchCommand();
                    command.CommandText = _sql;
                    for (var i = 0; i < _columns.Length; i++)
                    {
                        // The provider infers each type from the value (a UTC time is a timestamptz).
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = "p" + i;
                        parameter.Value = Provider(i, _columns[i].Get(row));
                        command.Parameters.Add(parameter);
                    }
                    batch.BatchCommands.Add(command);
                }
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            return;
        }
        await using var single = connection.CreateCommand();
        single.CommandText = _sql;
        single.Transaction = transaction;
        var parameters = new DbParameter[_columns.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var value = _columns[i].Get(row);
                if (parameters[i] is null)
                {
                    parameters[i] = _columns[i].Mapping.CreateParameter(single, "p" + i, value, nullable: true);
                    single.Parameters.Add(parameters[i]);
                }
                else
                {
                    parameters[i].Value = Provider(i, value);
                }
            }
            await single.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private object Provider(int column, object? value)
    {
        var converter = _columns[column].Mapping.Converter;
        return value is null ? DBNull.Value : converter is null ? value : converter.ConvertToProvider(value) ?? DBNull.Value;
    }

    /// <summary>A compiled getter of a property, or of a property of an owned value (null when the owned value is).</summary>
    private static Func<object, object?> Getter(Type entity, System.Reflection.PropertyInfo property, System.Reflection.PropertyInfo? inner)
    {
        var row = Expression.Parameter(typeof(object), "row");
        Expression value = Expression.Property(Expression.Convert(row, entity), property);
        if (inner is not null)
        {
            value = Expression.Condition(Expression.Equal(value, Expression.Constant(null, value.Type)),
                Expression.Constant(null, typeof(object)), Expression.Convert(Expression.Property(value, inner), typeof(object)));
        }
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(value, typeof(object)), row).Compile();
    }
}
