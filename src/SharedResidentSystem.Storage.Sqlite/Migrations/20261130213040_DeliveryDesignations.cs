using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryDesignations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SpecialMoveOut",
                table: "PersonVersions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "DeliveryDesignations",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    ResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PrintCategory = table.Column<int>(type: "INTEGER", nullable: false),
                    SpecialCircumstances = table.Column<bool>(type: "INTEGER", nullable: false),
                    Residence = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ResidenceKatagaki = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ResidencePostalCode = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    StaffId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryDesignations", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryDesignations_TenantCode_ResidentNumber_Id",
                table: "DeliveryDesignations",
                columns: new[] { "TenantCode", "ResidentNumber", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeliveryDesignations");

            migrationBuilder.DropColumn(
                name: "SpecialMoveOut",
                table: "PersonVersions");
        }
    }
}
