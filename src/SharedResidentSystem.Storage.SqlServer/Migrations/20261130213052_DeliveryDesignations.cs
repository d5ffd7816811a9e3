using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.SqlServer.Migrations
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
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "DeliveryDesignations",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    ResidentNumber = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    PrintCategory = table.Column<int>(type: "int", nullable: false),
                    SpecialCircumstances = table.Column<bool>(type: "bit", nullable: false),
                    Residence = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ResidenceKatagaki = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ResidencePostalCode = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    Note = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    StaffId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
