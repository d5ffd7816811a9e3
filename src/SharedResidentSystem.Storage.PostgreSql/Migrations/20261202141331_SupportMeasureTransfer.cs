using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class SupportMeasureTransfer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Transfer",
                table: "SupportMeasures",
                type: "text",
                nullable: false,
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Transfer",
                table: "SupportMeasures");
        }
    }
}
